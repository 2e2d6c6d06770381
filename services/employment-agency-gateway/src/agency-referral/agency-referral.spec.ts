import { randomUUID } from 'node:crypto';
import { ClientTCP } from '@nestjs/microservices';
import { Client, Connection } from '@temporalio/client';
import { firstValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import type { AgencyReferral, ReferralSubmission } from '@handoffs/contracts';
import { TransferLogEntry } from '@handoffs/handoff-records';
import { startServiceMicroservices } from '@handoffs/service-kit';
import { describeDomainServiceBasics, startInProcess, type InProcessService } from '@handoffs/service-kit/testing';
import { eventually, freePort, newCaseRef, ServiceProcess, testStack, testDataConverter } from '@handoffs/testing';
import { AppModule } from '../app.module';
import { AgencyLink } from '../agency-link/agency-link';
import { createAgencyGatewayActivities } from './agency-referral.activities';
import { AgencyDecisionRecord, AgencySubmission } from './agency-referral.entities';
import { agencyListenerOptions, type AgencyTransportSettings } from './agency-transport';

const SUBJECT = { baCustomerNumber: '123A456789', familyName: 'Haddad', givenNames: 'Rami Yusuf', dateOfBirth: '1991-03-14' };

/**
 * The gateway against the agency simulator, built and run as its own process, over the real TCP
 * transport of @nestjs/microservices: submission, asynchronous answer, repeats, the agency stopping.
 */
describe('employment-agency gateway and the agency simulator', () => {
  let service: InProcessService;
  let simulator: ServiceProcess;
  let connection: Connection;
  let temporal: Client;
  let dataSource: DataSource;
  let settings: AgencyTransportSettings;
  let activities: ReturnType<typeof createAgencyGatewayActivities>;

  beforeAll(async () => {
    const [listenPort, agencyPort, simulatorHttpPort] = await Promise.all([freePort(), freePort(), freePort()]);
    settings = { listenHost: '127.0.0.1', listenPort, agencyHost: '127.0.0.1', agencyPort, sendTimeoutMs: 5000 };
    service = await startInProcess('employment-agency-gateway', (config) => AppModule.forRoot(config, settings));
    await startServiceMicroservices(service.app, [agencyListenerOptions(settings)]);
    simulator = new ServiceProcess('agency-simulator', simulatorHttpPort, {
      AGENCY_TRANSPORT_PORT: String(agencyPort),
      AGENCY_GATEWAY_ADDRESS: `127.0.0.1:${listenPort}`,
      AGENCY_ANSWER_DELAY: '1500',
      AGENCY_ANSWER_RETRY: '300',
    });
    await simulator.start();
    connection = await Connection.connect({ address: testStack().temporalAddress });
    temporal = new Client({ connection, namespace: service.config.temporalNamespace, dataConverter: testDataConverter() });
    dataSource = service.app.get(DataSource);
    activities = createAgencyGatewayActivities(dataSource, service.app.get(AgencyLink));
  });

  afterAll(async () => {
    await simulator?.stop();
    await service?.app.close();
    await connection?.close();
  });

  describeDomainServiceBasics(() => service);

  /** A referral's workflow, started on a queue no worker polls: it only collects the gateway's Signals. */
  async function referral(overrides: Partial<AgencyReferral> = {}): Promise<ReferralSubmission> {
    const caseRef = overrides.caseRef ?? newCaseRef();
    const workflowId = `agency-referral:${caseRef}`;
    await temporal.workflow.start('agencyReferral', { workflowId, taskQueue: 'nobody-polls-this', args: [] });
    const body: AgencyReferral = {
      referralId: randomUUID(),
      round: 1,
      caseRef,
      programme: 'competence-assessment',
      subject: SUBJECT,
      workPermission: 'CLEARED',
      languageLevel: 'B1',
      ...overrides,
    };
    return {
      workflowId,
      referral: body,
      receivedTransfer: {
        workflowId,
        caseRef,
        process: 'agency-referral',
        flowId: 'P3B-JC-AA-REFERRAL',
        direction: 'received',
        counterpart: 'job-centre',
        legalBasis: '§ 50 Abs. 1 SGB II; §§ 88, 89 SGB X',
        purpose: 'Referral to an employment-agency programme',
        fieldNames: ['caseRef', 'subject.baCustomerNumber'],
        occurredAt: new Date().toISOString(),
      },
    };
  }

  async function decisionOf(submission: ReferralSubmission, timeoutMs = 20000): Promise<AgencyDecisionRecord> {
    const { referralId, round } = submission.referral;
    return eventually(async () => (await dataSource.getRepository(AgencyDecisionRecord).findOneBy({ referralId, round })) ?? undefined, timeoutMs, 'the agency\'s answer');
  }

  async function signalsTo(workflowId: string): Promise<unknown[]> {
    const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? [])
      .map((event) => event.workflowExecutionSignaledEventAttributes)
      .filter((signal) => signal?.signalName === 'agencyAnswerReceived');
  }

  it('sends the referral over the transport, gets a receipt at once, and relays the later answer to the workflow as a Signal', async () => {
    const submission = await referral();
    const receipt = await activities.submitReferral(submission);
    expect(receipt).toMatchObject({ referralId: submission.referral.referralId, round: 1 });
    expect(await dataSource.getRepository(AgencyDecisionRecord).countBy({ referralId: receipt.referralId })).toBe(0);

    const decision = await decisionOf(submission);
    expect(decision).toMatchObject({ outcome: 'ACCEPTED', refusalReason: null });
    expect(await eventually(async () => ((await signalsTo(submission.workflowId)).length === 1 ? true : undefined))).toBe(true);
    expect(await dataSource.getRepository(TransferLogEntry).countBy({ caseRef: submission.referral.caseRef })).toBe(1);
  });

  it('treats a repeated submission as the same referral, on both sides', async () => {
    const submission = await referral({ languageLevel: undefined });
    const receipts = await Promise.all([1, 2, 3].map(() => activities.submitReferral(submission)));
    expect(new Set(receipts.map((r) => `${r.referralId}:${r.round}`)).size).toBe(1);
    const decision = await decisionOf(submission);
    expect(decision).toMatchObject({ outcome: 'NEEDS_INFO', missing: ['languageLevel'] });
    const recorded = await dataSource.getRepository(AgencySubmission).findBy({ referralId: submission.referral.referralId });
    expect(recorded).toHaveLength(1);
    expect(recorded[0].sendCount).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await dataSource.getRepository(AgencyDecisionRecord).countBy({ referralId: submission.referral.referralId })).toBe(1);
    expect(simulator.output.join('')).toContain(`${submission.referral.referralId} round 1 (${submission.referral.caseRef}) received again`);
  });

  it('takes the refusal with its reason', async () => {
    const submission = await referral({ workPermission: 'NOT_CLARIFIED' });
    await activities.submitReferral(submission);
    expect(await decisionOf(submission)).toMatchObject({ outcome: 'REFUSED', refusalReason: 'work-permission-not-cleared' });
  });

  it('loses nothing while the agency is stopped: sending fails and is retried, and the answer comes once it is back', async () => {
    const pendingWhenStopped = await referral();
    await activities.submitReferral(pendingWhenStopped);
    expect(await simulator.stop()).toBe(0);

    const whileDown = await referral({ languageLevel: 'A1' });
    await expect(activities.submitReferral(whileDown)).rejects.toThrow(/did not take referral/);
    const unacknowledged = await dataSource.getRepository(AgencySubmission).findOneByOrFail({ referralId: whileDown.referral.referralId });
    expect(unacknowledged).toMatchObject({ acknowledgedAt: null, sendCount: 0 });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await dataSource.getRepository(AgencyDecisionRecord).countBy({ referralId: pendingWhenStopped.referral.referralId })).toBe(0);

    await simulator.start();
    // The workflow sends again what has no answer: the retried activity, and the periodic re-submission.
    await activities.submitReferral(whileDown);
    await activities.submitReferral(pendingWhenStopped);
    expect(await decisionOf(whileDown)).toMatchObject({ outcome: 'REFUSED', refusalReason: 'language-level-below-entry' });
    expect(await decisionOf(pendingWhenStopped)).toMatchObject({ outcome: 'ACCEPTED' });
    expect(await signalsTo(whileDown.workflowId)).toHaveLength(1);
  });

  it('refuses a malformed answer on its listener and writes nothing', async () => {
    const client = new ClientTCP({ host: '127.0.0.1', port: settings.listenPort });
    try {
      const referralId = randomUUID();
      const refusal = await firstValueFrom(
        client.send('agency-referral.answer', { referralId, round: 1, decision: { outcome: 'REFUSED' }, decidedAt: 'yesterday' }),
      ).then(
        () => undefined,
        (error: { problems?: string[] }) => error,
      );
      expect(refusal?.problems).toEqual(['decidedAt must be an ISO timestamp', expect.stringContaining('a refusal names its reason')]);
      const unknown = await firstValueFrom(
        client.send('agency-referral.answer', { referralId, round: 1, decision: { outcome: 'ACCEPTED' }, decidedAt: new Date().toISOString() }),
      ).then(
        () => undefined,
        (error: { status?: string }) => error,
      );
      expect(unknown?.status).toBe('unknown-referral');
      expect(await dataSource.getRepository(AgencyDecisionRecord).countBy({ referralId })).toBe(0);
    } finally {
      client.close();
    }
  });

  describe('acceptance statistics', () => {
    it('counts each referral once by its latest answer, and refusals by reason', async () => {
      const since = new Date().toISOString();
      const accepted = await referral({ programme: 'rehabilitation' });
      const lowLanguage = await referral({ programme: 'rehabilitation', languageLevel: 'A1' });
      const noPermission = await referral({ programme: 'rehabilitation', workPermission: 'BLOCKED' });
      const unanswered = await referral({ programme: 'rehabilitation' });
      await Promise.all([accepted, lowLanguage, noPermission].map((s) => activities.submitReferral(s)));
      await Promise.all([accepted, lowLanguage, noPermission].map((s) => decisionOf(s)));
      await dataSource.getRepository(AgencySubmission).insert({
        referralId: unanswered.referral.referralId,
        round: 1,
        caseRef: unanswered.referral.caseRef,
        workflowId: unanswered.workflowId,
        programme: 'rehabilitation',
      });

      const statistics = await service.request('GET', `/referrals/statistics?programme=rehabilitation&since=${encodeURIComponent(since)}`);
      expect(statistics).toMatchObject({
        status: 200,
        body: {
          referrals: 4,
          byOutcome: { ACCEPTED: 1, REFUSED: 2, NEEDS_INFO: 0, PENDING: 1 },
          refusalsByReason: { 'language-level-below-entry': 1, 'work-permission-not-cleared': 1, 'age-outside-programme': 0, 'no-programme-capacity': 0 },
        },
      });
      expect(statistics.body.acceptanceRate).toBeCloseTo(1 / 3);
      const all = await service.request('GET', '/referrals/statistics');
      expect(all.body.referrals).toBeGreaterThan(4);
    });

    it('answers bad filters with 400 problem+json naming each field', async () => {
      const bad = await service.request('GET', '/referrals/statistics?programme=yoga&since=last-week&colour=red');
      expect(bad.status).toBe(400);
      expect(bad.contentType).toContain('application/problem+json');
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'programme', 'since']);
    });
  });
});
