import type { Client } from '@temporalio/client';
import { type Client as PgClient } from 'pg';
import { DueAt, HandoffStage, WaitingOn } from '@handoffs/contracts';
import {
  ANSWER_NEEDS_CONSENT as NEEDS_CONSENT,
  PLANNED_EMPLOYMENT as JOB,
  SUBJECT,
  eventually,
  newCaseRef,
  startE2eStack,
  type E2eStack,
} from '@handoffs/testing';

/**
 * P1 step 4 end to end: where the permission needs it, the immigration office asks the employment
 * agency for consent through the gateway; the four services and the agency simulator as built
 * artefacts, each its own process, driven through their HTTP APIs.
 */
describe("status clarification with the employment agency's consent (§ 39 AufenthG)", () => {
  let stack: E2eStack;
  let temporal: Client;
  let db: PgClient;

  beforeAll(async () => {
    stack = await startE2eStack('e2e-p1c', { env: {
        // The two weeks of § 36 Abs. 2 BeschV, shortened so the fiction can be watched.
        SLA_OVERRIDES: JSON.stringify({ 'ba-consent': '8 seconds' }),
        AGENCY_ANSWER_DELAY: '1 second',
        AGENCY_ANSWER_RETRY: '500',
      }, simulator: true });
    ({ temporal, db } = stack);
  });

  afterAll(() => stack?.close());

  const call = (...args: Parameters<E2eStack['call']>) => stack.call(...args);

  /** The job centre asks with the planned employment; an immigration caseworker says the BA must consent. */
  async function askAndRequireConsent(caseRef: string, job: Partial<typeof JOB> = {}) {
    const asked = await call('job-centre', 'POST', '/status-clarifications', {
      caseRef,
      caseworkerId: 'jc.mueller',
      subject: SUBJECT,
      questions: ['employment-permitted'],
      plannedEmployment: { ...JOB, ...job },
    });
    expect(asked.status).toBe(202);
    const task = await eventually(async () => {
      const { body } = await call('immigration', 'GET', '/inbox/tasks?kind=status-inquiry');
      return (body as { id: string; caseRef: string; details: { inquiry: { plannedEmployment?: unknown } } }[]).find((t) => t.caseRef === caseRef);
    }, 30000, `an inbox task for ${caseRef}`);
    expect(task.details.inquiry.plannedEmployment).toMatchObject({ ...JOB, ...job });
    const answer = await call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, { caseworkerId: 'abh.schmidt', answer: NEEDS_CONSENT });
    expect(answer).toMatchObject({ status: 200, body: { outcome: 'PENDING_PERMISSION' } });
    return temporal.workflow.getHandle(`status-clarification:${caseRef}`);
  }

  async function answered(caseRef: string) {
    return eventually(async () => {
      const { body } = await call('job-centre', 'GET', `/status-clarifications/${caseRef}`);
      return body.state === 'answered' ? body : undefined;
    }, 30000, `the answer for ${caseRef} at the job centre`);
  }

  it('clears the person once the agency consents, and logs the consent request at the immigration office and the gateway', async () => {
    const caseRef = newCaseRef();
    const handle = await askAndRequireConsent(caseRef);
    const record = await answered(caseRef);
    expect(record).toMatchObject({
      outcome: 'CLEARED',
      agencyConsent: 'given',
      answer: { employmentPermission: 'NEEDS_PERMISSION', agencyConsent: 'given', agencyDecision: { decidedBy: 'ba.consent-desk' } },
      answeredBy: { domain: 'immigration', caseworkerId: 'abh.schmidt' },
    });
    const summary = (log: { flowId: string; direction: string; counterpart: string }[]) => log.map((e) => `${e.direction} ${e.flowId} ${e.counterpart}`).sort();
    const immigrationLog = (await call('immigration', 'GET', `/transfer-log?caseRef=${caseRef}`)).body;
    const gatewayLog = (await call('employment-agency-gateway', 'GET', `/transfer-log?caseRef=${caseRef}`)).body;
    expect(summary(immigrationLog)).toContain('sent P1-ABH-AA-CONSENT-REQUEST employment-agency-gateway');
    expect(summary(gatewayLog)).toEqual(['received P1-ABH-AA-CONSENT-REQUEST immigration']);
    expect(gatewayLog[0]).toMatchObject({ legalBasis: '§ 39 AufenthG; § 36 Abs. 2 BeschV' });
    expect(gatewayLog[0].fieldNames).toEqual(expect.arrayContaining(['plannedEmployment.employer', 'plannedEmployment.grossMonthlyWage', 'residenceDocument']));
    const jobCentreLog = (await call('job-centre', 'GET', `/transfer-log?caseRef=${caseRef}`)).body;
    const inquirySent = jobCentreLog.find((e: { direction: string; flowId: string }) => e.direction === 'sent' && e.flowId === 'P1-JC-ABH-INQUIRY');
    expect(inquirySent.fieldNames).toEqual(expect.arrayContaining(['plannedEmployment.employer', 'plannedEmployment.hoursPerWeek', 'plannedEmployment.startDate']));
    expect((await handle.describe()).typedSearchAttributes.get(HandoffStage)).toMatch(/RECHECK_SCHEDULED|CLOSED/);
  });

  it("blocks the person when the agency objects, with the agency's reason", async () => {
    const caseRef = newCaseRef();
    await askAndRequireConsent(caseRef, { grossMonthlyWage: 1400 });
    expect(await answered(caseRef)).toMatchObject({
      outcome: 'BLOCKED',
      agencyConsent: 'objected',
      answer: { agencyConsent: 'objected', agencyDecision: { decidedBy: 'ba.consent-desk', objectionReason: 'wage-below-comparable-workers' } },
    });
  });

  it('deems the consent given when the agency stays silent past the period, and shows the wait meanwhile', async () => {
    const caseRef = newCaseRef();
    const handle = await askAndRequireConsent(caseRef, { employer: 'Schweigen Logistik GmbH' });
    const waiting = await eventually(async () => {
      const attributes = (await handle.describe()).typedSearchAttributes;
      return attributes.get(HandoffStage) === 'BA_CONSENT_PENDING' ? attributes : undefined;
    });
    expect(waiting.get(WaitingOn)).toBe('employment-agency-gateway');
    expect(waiting.get(DueAt)!.getTime()).toBeGreaterThan(Date.now());
    const pending = await call('job-centre', 'GET', `/status-clarifications/${caseRef}`);
    expect(pending.body).toMatchObject({ state: 'requested', outcome: null });
    expect(await answered(caseRef)).toMatchObject({ outcome: 'CLEARED', agencyConsent: 'deemed', answer: { agencyDecision: { decidedBy: null } } });
    expect((await db.query('SELECT 1 FROM employment_agency_gateway.agency_consent_answer a JOIN employment_agency_gateway.agency_consent_request r USING (consent_request_id) WHERE r.case_ref = $1', [caseRef])).rowCount).toBe(0);
  });

  it('refuses a consent requirement for an inquiry without a planned employment (400)', async () => {
    const caseRef = newCaseRef();
    await call('job-centre', 'POST', '/status-clarifications', { caseRef, caseworkerId: 'jc.mueller', subject: SUBJECT, questions: ['employment-permitted'] });
    const task = await eventually(async () => {
      const { body } = await call('immigration', 'GET', '/inbox/tasks?kind=status-inquiry');
      return (body as { id: string; caseRef: string }[]).find((t) => t.caseRef === caseRef);
    }, 30000, `an inbox task for ${caseRef}`);
    const refused = await call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, { caseworkerId: 'abh.schmidt', answer: NEEDS_CONSENT });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('planned employment');
    const badJob = await call('job-centre', 'POST', '/status-clarifications', {
      caseRef: newCaseRef(),
      caseworkerId: 'jc.mueller',
      subject: SUBJECT,
      questions: ['employment-permitted'],
      plannedEmployment: { ...JOB, hoursPerWeek: 'many', startDate: 'soon' },
    });
    expect(badJob.status).toBe(400);
    expect(badJob.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['plannedEmployment.hoursPerWeek', 'plannedEmployment.startDate']);
  });
});
