import { randomUUID } from 'node:crypto';
import type { AgencyReferral, ReferralSubmission } from '@handoffs/contracts';
import { TransferLogEntry } from '@handoffs/handoff-records';
import { describeDomainServiceBasics } from '@handoffs/service-kit/testing';
import { eventually, newCaseRef } from '@handoffs/testing';
import { withAgencySimulator } from '../agency-link/agency-simulator.setup.spec';
import { createAgencyGatewayActivities } from './agency-referral.activities';
import { AgencyDecisionRecord, AgencySubmission } from './agency-referral.entities';

const SUBJECT = { baCustomerNumber: '123A456789', familyName: 'Haddad', givenNames: 'Rami Yusuf', dateOfBirth: '1991-03-14' };

/**
 * The gateway against the agency simulator, built and run as its own process, over the real TCP
 * transport of @nestjs/microservices: submission, asynchronous answer, repeats, the agency stopping.
 */
describe('employment-agency gateway and the agency simulator', () => {
  const gateway = withAgencySimulator('1500');
  let activities: ReturnType<typeof createAgencyGatewayActivities>;

  beforeAll(() => {
    activities = createAgencyGatewayActivities(gateway.dataSource, gateway.link);
  });

  describeDomainServiceBasics(() => gateway.service);

  /** A referral's workflow, started on a queue no worker polls: it only collects the gateway's Signals. */
  async function referral(overrides: Partial<AgencyReferral> = {}): Promise<ReferralSubmission> {
    const caseRef = overrides.caseRef ?? newCaseRef();
    const workflowId = `agency-referral:${caseRef}`;
    await gateway.collectSignals('agencyReferral', workflowId);
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
    return eventually(async () => (await gateway.dataSource.getRepository(AgencyDecisionRecord).findOneBy({ referralId, round })) ?? undefined, timeoutMs, 'the agency\'s answer');
  }

  const signalsTo = (workflowId: string) => gateway.signalsTo(workflowId, 'agencyAnswerReceived');

  it('sends the referral over the transport, gets a receipt at once, and relays the later answer to the workflow as a Signal', async () => {
    const submission = await referral();
    const receipt = await activities.submitReferral(submission);
    expect(receipt).toMatchObject({ referralId: submission.referral.referralId, round: 1 });
    expect(await gateway.dataSource.getRepository(AgencyDecisionRecord).countBy({ referralId: receipt.referralId })).toBe(0);

    const decision = await decisionOf(submission);
    expect(decision).toMatchObject({ outcome: 'ACCEPTED', refusalReason: null });
    expect(await eventually(async () => ((await signalsTo(submission.workflowId)).length === 1 ? true : undefined))).toBe(true);
    expect(await gateway.dataSource.getRepository(TransferLogEntry).countBy({ caseRef: submission.referral.caseRef })).toBe(1);
  });

  it('treats a repeated submission as the same referral, on both sides', async () => {
    const submission = await referral({ languageLevel: undefined });
    const receipts = await Promise.all([1, 2, 3].map(() => activities.submitReferral(submission)));
    expect(new Set(receipts.map((r) => `${r.referralId}:${r.round}`)).size).toBe(1);
    const decision = await decisionOf(submission);
    expect(decision).toMatchObject({ outcome: 'NEEDS_INFO', missing: ['languageLevel'] });
    const recorded = await gateway.dataSource.getRepository(AgencySubmission).findBy({ referralId: submission.referral.referralId });
    expect(recorded).toHaveLength(1);
    expect(recorded[0].sendCount).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await gateway.dataSource.getRepository(AgencyDecisionRecord).countBy({ referralId: submission.referral.referralId })).toBe(1);
    expect(gateway.simulator.output.join('')).toContain(`${submission.referral.referralId} round 1 (${submission.referral.caseRef}) received again`);
  });

  it('takes the refusal with its reason', async () => {
    const submission = await referral({ workPermission: 'NOT_CLARIFIED' });
    await activities.submitReferral(submission);
    expect(await decisionOf(submission)).toMatchObject({ outcome: 'REFUSED', refusalReason: 'work-permission-not-cleared' });
  });

  it('loses nothing while the agency is stopped: sending fails and is retried, and the answer comes once it is back', async () => {
    const pendingWhenStopped = await referral();
    await activities.submitReferral(pendingWhenStopped);
    expect(await gateway.simulator.stop()).toBe(0);

    const whileDown = await referral({ languageLevel: 'A1' });
    await expect(activities.submitReferral(whileDown)).rejects.toThrow(/did not take referral/);
    const unacknowledged = await gateway.dataSource.getRepository(AgencySubmission).findOneByOrFail({ referralId: whileDown.referral.referralId });
    expect(unacknowledged).toMatchObject({ acknowledgedAt: null, sendCount: 0 });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await gateway.dataSource.getRepository(AgencyDecisionRecord).countBy({ referralId: pendingWhenStopped.referral.referralId })).toBe(0);

    await gateway.simulator.start();
    // The workflow sends again what has no answer: the retried activity, and the periodic re-submission.
    await activities.submitReferral(whileDown);
    await activities.submitReferral(pendingWhenStopped);
    expect(await decisionOf(whileDown)).toMatchObject({ outcome: 'REFUSED', refusalReason: 'language-level-below-entry' });
    expect(await decisionOf(pendingWhenStopped)).toMatchObject({ outcome: 'ACCEPTED' });
    expect(await signalsTo(whileDown.workflowId)).toHaveLength(1);
  });

  it('refuses a malformed answer on its listener and writes nothing', async () => {
    const referralId = randomUUID();
    const refusal = await gateway.refusalOf('agency-referral.answer', { referralId, round: 1, decision: { outcome: 'REFUSED' }, decidedAt: 'yesterday' });
    expect(refusal?.problems).toEqual(['decidedAt must be an ISO timestamp', expect.stringContaining('a refusal names its reason')]);
    const unknown = await gateway.refusalOf('agency-referral.answer', { referralId, round: 1, decision: { outcome: 'ACCEPTED' }, decidedAt: new Date().toISOString() });
    expect(unknown?.status).toBe('unknown-referral');
    expect(await gateway.dataSource.getRepository(AgencyDecisionRecord).countBy({ referralId })).toBe(0);
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
      await gateway.dataSource.getRepository(AgencySubmission).insert({
        referralId: unanswered.referral.referralId,
        round: 1,
        caseRef: unanswered.referral.caseRef,
        workflowId: unanswered.workflowId,
        programme: 'rehabilitation',
      });

      const statistics = await gateway.service.request('GET', `/referrals/statistics?programme=rehabilitation&since=${encodeURIComponent(since)}`);
      expect(statistics).toMatchObject({
        status: 200,
        body: {
          referrals: 4,
          byOutcome: { ACCEPTED: 1, REFUSED: 2, NEEDS_INFO: 0, PENDING: 1 },
          refusalsByReason: { 'language-level-below-entry': 1, 'work-permission-not-cleared': 1, 'age-outside-programme': 0, 'no-programme-capacity': 0 },
        },
      });
      expect(statistics.body.acceptanceRate).toBeCloseTo(1 / 3);
      const all = await gateway.service.request('GET', '/referrals/statistics');
      expect(all.body.referrals).toBeGreaterThan(4);
    });

    it('answers bad filters with 400 problem+json naming each field', async () => {
      const bad = await gateway.service.request('GET', '/referrals/statistics?programme=yoga&since=last-week&colour=red');
      expect(bad.status).toBe(400);
      expect(bad.contentType).toContain('application/problem+json');
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'programme', 'since']);
    });
  });
});
