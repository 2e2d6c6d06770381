import { randomUUID } from 'node:crypto';
import { AGENCY_CONSENT_FLOWS, type AgencyConsentSubmission, type PlannedEmployment } from '@handoffs/contracts';
import { TransferLogEntry } from '@handoffs/handoff-records';
import { SUBJECT, eventually, newCaseRef } from '@handoffs/testing';
import { withAgencySimulator } from '../agency-link/agency-simulator.setup.spec';
import { createAgencyConsentActivities } from './agency-consent.activities';
import { AgencyConsentAnswerRecord, AgencyConsentRequestRecord } from './agency-consent.entities';

const JOB: PlannedEmployment = { employer: 'Ruhr Logistik GmbH', occupation: 'Warehouse operative', hoursPerWeek: 39, grossMonthlyWage: 2850, startDate: '2026-01-15' };

/**
 * The consent step (§ 39 AufenthG) through the gateway, against the agency simulator built and run as
 * its own process, over the real TCP transport: request, receipt, later answer relayed as a Signal.
 */
describe('employment-agency gateway: consent to an employment, with the agency simulator', () => {
  const gateway = withAgencySimulator('1000');
  let activities: ReturnType<typeof createAgencyConsentActivities>;

  beforeAll(() => {
    activities = createAgencyConsentActivities(gateway.dataSource, gateway.link);
  });

  /** A status clarification's workflow, started on a queue no worker polls: it only collects the gateway's Signals. */
  async function consentRequest(job: Partial<PlannedEmployment> = {}): Promise<AgencyConsentSubmission> {
    const caseRef = newCaseRef();
    const workflowId = `status-clarification:${caseRef}`;
    await gateway.collectSignals('statusClarification', workflowId);
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
      async () => (await gateway.dataSource.getRepository(AgencyConsentAnswerRecord).findOneBy({ consentRequestId })) ?? undefined,
      timeoutMs,
      "the agency's consent answer",
    );
  }

  const signalsTo = (workflowId: string) => gateway.signalsTo(workflowId, 'agencyConsentAnswered');

  it('sends the request over the transport, gets a receipt at once, and relays the consent to the workflow as a Signal', async () => {
    const submission = await consentRequest();
    const receipt = await activities.requestAgencyConsent(submission);
    expect(receipt.consentRequestId).toBe(submission.request.consentRequestId);
    expect(await gateway.dataSource.getRepository(AgencyConsentAnswerRecord).countBy({ consentRequestId: receipt.consentRequestId })).toBe(0);

    expect(await answerTo(submission)).toMatchObject({ outcome: 'CONSENT', objectionReason: null, decidedBy: 'ba.consent-desk' });
    expect(await eventually(async () => ((await signalsTo(submission.workflowId)).length === 1 ? true : undefined))).toBe(true);
    const logged = await gateway.dataSource.getRepository(TransferLogEntry).findBy({ caseRef: submission.request.caseRef });
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
    const recorded = await gateway.dataSource.getRepository(AgencyConsentRequestRecord).findBy({ consentRequestId: submission.request.consentRequestId });
    expect(recorded).toHaveLength(1);
    expect(recorded[0].sendCount).toBe(3);
    expect(await gateway.dataSource.getRepository(AgencyConsentAnswerRecord).countBy({ consentRequestId: submission.request.consentRequestId })).toBe(1);
  });

  it('gets no answer at all for the silent employer: the gateway records nothing and signals nothing', async () => {
    const submission = await consentRequest({ employer: 'Schweigen & Söhne KG' });
    await activities.requestAgencyConsent(submission);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await gateway.dataSource.getRepository(AgencyConsentAnswerRecord).countBy({ consentRequestId: submission.request.consentRequestId })).toBe(0);
    expect(await signalsTo(submission.workflowId)).toHaveLength(0);
  });

  it('refuses a malformed or unknown answer on its listener and writes nothing', async () => {
    const consentRequestId = randomUUID();
    const malformed = await gateway.refusalOf('agency-consent.answer', { consentRequestId, outcome: 'OBJECTION', decidedBy: 'ba.meier', decidedAt: 'yesterday' });
    expect(malformed?.problems).toEqual([expect.stringContaining('an objection names its reason'), 'decidedAt must be an ISO timestamp']);
    const unknown = await gateway.refusalOf('agency-consent.answer', { consentRequestId, outcome: 'CONSENT', decidedBy: 'ba.meier', decidedAt: new Date().toISOString() });
    expect(unknown?.status).toBe('unknown-consent-request');
    expect(await gateway.dataSource.getRepository(AgencyConsentAnswerRecord).countBy({ consentRequestId })).toBe(0);
  });
});
