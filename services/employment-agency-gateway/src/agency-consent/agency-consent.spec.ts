import { randomUUID } from 'node:crypto';
import { ClientTCP } from '@nestjs/microservices';
import { Client, Connection } from '@temporalio/client';
import { firstValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { AGENCY_CONSENT_FLOWS, type AgencyConsentSubmission, type PlannedEmployment } from '@handoffs/contracts';
import { TransferLogEntry } from '@handoffs/handoff-records';
import { startServiceMicroservices } from '@handoffs/service-kit';
import { startInProcess, type InProcessService } from '@handoffs/service-kit/testing';
import { SUBJECT, eventually, freePort, newCaseRef, ServiceProcess, testStack, testDataConverter } from '@handoffs/testing';
import { AppModule } from '../app.module';
import { AgencyLink } from '../agency-link/agency-link';
import { agencyListenerOptions, type AgencyTransportSettings } from '../agency-referral/agency-transport';
import { createAgencyConsentActivities } from './agency-consent.activities';
import { AgencyConsentAnswerRecord, AgencyConsentRequestRecord } from './agency-consent.entities';

const JOB: PlannedEmployment = { employer: 'Ruhr Logistik GmbH', occupation: 'Warehouse operative', hoursPerWeek: 39, grossMonthlyWage: 2850, startDate: '2026-01-15' };

/**
 * The consent step (§ 39 AufenthG) through the gateway, against the agency simulator built and run as
 * its own process, over the real TCP transport: request, receipt, later answer relayed as a Signal.
 */
describe('employment-agency gateway: consent to an employment, with the agency simulator', () => {
  let service: InProcessService;
  let simulator: ServiceProcess;
  let connection: Connection;
  let temporal: Client;
  let dataSource: DataSource;
  let settings: AgencyTransportSettings;
  let activities: ReturnType<typeof createAgencyConsentActivities>;

  beforeAll(async () => {
    const [listenPort, agencyPort, simulatorHttpPort] = await Promise.all([freePort(), freePort(), freePort()]);
    settings = { listenHost: '127.0.0.1', listenPort, agencyHost: '127.0.0.1', agencyPort, sendTimeoutMs: 5000 };
    service = await startInProcess('employment-agency-gateway', (config) => AppModule.forRoot(config, settings));
    await startServiceMicroservices(service.app, [agencyListenerOptions(settings)]);
    simulator = new ServiceProcess('agency-simulator', simulatorHttpPort, {
      AGENCY_TRANSPORT_PORT: String(agencyPort),
      AGENCY_GATEWAY_ADDRESS: `127.0.0.1:${listenPort}`,
      AGENCY_ANSWER_DELAY: '1000',
      AGENCY_ANSWER_RETRY: '300',
    });
    await simulator.start();
    connection = await Connection.connect({ address: testStack().temporalAddress });
    temporal = new Client({ connection, namespace: service.config.temporalNamespace, dataConverter: testDataConverter() });
    dataSource = service.app.get(DataSource);
    activities = createAgencyConsentActivities(dataSource, service.app.get(AgencyLink));
  });

  afterAll(async () => {
    await simulator?.stop();
    await service?.app.close();
    await connection?.close();
  });

  /** A status clarification's workflow, started on a queue no worker polls: it only collects the gateway's Signals. */
  async function consentRequest(job: Partial<PlannedEmployment> = {}): Promise<AgencyConsentSubmission> {
    const caseRef = newCaseRef();
    const workflowId = `status-clarification:${caseRef}`;
    await temporal.workflow.start('statusClarification', { workflowId, taskQueue: 'nobody-polls-this', args: [] });
    const flow = AGENCY_CONSENT_FLOWS.consentRequest;
    return {
      workflowId,
      request: {
        consentRequestId: randomUUID(),
        caseRef,
        subject: SUBJECT,
        plannedEmployment: { ...JOB, ...job },
        residenceDocument: 'residence-permit',
        legalBasis: '§ 19c Abs. 1 AufenthG',
      },
      receivedTransfer: {
        workflowId,
        caseRef,
        process: 'status-clarification',
        flowId: flow.id,
        direction: 'received',
        counterpart: 'immigration',
        legalBasis: flow.legalBasis,
        purpose: flow.purpose,
        fieldNames: ['plannedEmployment.employer', 'subject.familyName'],
        occurredAt: new Date().toISOString(),
      },
    };
  }

  async function answerTo(submission: AgencyConsentSubmission, timeoutMs = 20000): Promise<AgencyConsentAnswerRecord> {
    const { consentRequestId } = submission.request;
    return eventually(
      async () => (await dataSource.getRepository(AgencyConsentAnswerRecord).findOneBy({ consentRequestId })) ?? undefined,
      timeoutMs,
      "the agency's consent answer",
    );
  }

  async function signalsTo(workflowId: string): Promise<{ input?: unknown }[]> {
    const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? [])
      .map((event) => event.workflowExecutionSignaledEventAttributes)
      .filter((signal) => signal?.signalName === 'agencyConsentAnswered') as { input?: unknown }[];
  }

  it('sends the request over the transport, gets a receipt at once, and relays the consent to the workflow as a Signal', async () => {
    const submission = await consentRequest();
    const receipt = await activities.requestAgencyConsent(submission);
    expect(receipt.consentRequestId).toBe(submission.request.consentRequestId);
    expect(await dataSource.getRepository(AgencyConsentAnswerRecord).countBy({ consentRequestId: receipt.consentRequestId })).toBe(0);

    expect(await answerTo(submission)).toMatchObject({ outcome: 'CONSENT', objectionReason: null, decidedBy: 'ba.consent-desk' });
    expect(await eventually(async () => ((await signalsTo(submission.workflowId)).length === 1 ? true : undefined))).toBe(true);
    const logged = await dataSource.getRepository(TransferLogEntry).findBy({ caseRef: submission.request.caseRef });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ flowId: 'P1-ABH-AA-CONSENT-REQUEST', direction: 'received', legalBasis: '§ 39 AufenthG; § 36 Abs. 2 BeschV' });
  });

  it('takes an objection with its reason: a wage below the threshold, or too many hours', async () => {
    const lowWage = await consentRequest({ grossMonthlyWage: 1500 });
    const longHours = await consentRequest({ hoursPerWeek: 55 });
    await Promise.all([lowWage, longHours].map((s) => activities.requestAgencyConsent(s)));
    expect(await answerTo(lowWage)).toMatchObject({ outcome: 'OBJECTION', objectionReason: 'wage-below-comparable-workers' });
    expect(await answerTo(longHours)).toMatchObject({ outcome: 'OBJECTION', objectionReason: 'working-hours-above-limit' });
  });

  it('treats a repeated request as the same request, and records only the first answer', async () => {
    const submission = await consentRequest();
    await Promise.all([1, 2, 3].map(() => activities.requestAgencyConsent(submission)));
    await answerTo(submission);
    const recorded = await dataSource.getRepository(AgencyConsentRequestRecord).findBy({ consentRequestId: submission.request.consentRequestId });
    expect(recorded).toHaveLength(1);
    expect(recorded[0].sendCount).toBe(3);
    expect(await dataSource.getRepository(AgencyConsentAnswerRecord).countBy({ consentRequestId: submission.request.consentRequestId })).toBe(1);
  });

  it('gets no answer at all for the silent employer: the gateway records nothing and signals nothing', async () => {
    const submission = await consentRequest({ employer: 'Schweigen & Söhne KG' });
    await activities.requestAgencyConsent(submission);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await dataSource.getRepository(AgencyConsentAnswerRecord).countBy({ consentRequestId: submission.request.consentRequestId })).toBe(0);
    expect(await signalsTo(submission.workflowId)).toHaveLength(0);
  });

  it('refuses a malformed or unknown answer on its listener and writes nothing', async () => {
    const client = new ClientTCP({ host: '127.0.0.1', port: settings.listenPort });
    try {
      const consentRequestId = randomUUID();
      const malformed = await firstValueFrom(
        client.send('agency-consent.answer', { consentRequestId, outcome: 'OBJECTION', decidedBy: 'ba.meier', decidedAt: 'yesterday' }),
      ).then(
        () => undefined,
        (error: { problems?: string[] }) => error,
      );
      expect(malformed?.problems).toEqual([expect.stringContaining('an objection names its reason'), 'decidedAt must be an ISO timestamp']);
      const unknown = await firstValueFrom(
        client.send('agency-consent.answer', { consentRequestId, outcome: 'CONSENT', decidedBy: 'ba.meier', decidedAt: new Date().toISOString() }),
      ).then(
        () => undefined,
        (error: { status?: string }) => error,
      );
      expect(unknown?.status).toBe('unknown-consent-request');
      expect(await dataSource.getRepository(AgencyConsentAnswerRecord).countBy({ consentRequestId })).toBe(0);
    } finally {
      client.close();
    }
  });
});
