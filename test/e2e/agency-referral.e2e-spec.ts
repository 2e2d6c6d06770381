import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { type Client as PgClient } from 'pg';
import { HandoffStage, OwningDomain, Stuck, StuckReason, WaitingOn } from '@handoffs/contracts';
import {
  ANSWER_ALLOWED,
  REFERRED_SUBJECT as REFERRED,
  SUBJECT,
  eventually,
  newCaseRef,
  type ServiceProcess,
  startE2eStack,
  type E2eStack,
} from '@handoffs/testing';

/**
 * P3b end to end: the four services and the agency simulator as built artefacts, each its own
 * process; the gateway and the simulator speak the TCP transport of @nestjs/microservices.
 */
describe('referral from the job centre to the employment agency, through the gateway', () => {
  let stack: E2eStack;
  let services: E2eStack['services'];
  let simulator: ServiceProcess;
  let temporal: Client;
  let db: PgClient;

  beforeAll(async () => {
    stack = await startE2eStack('e2e-p3b', { env: {
        SLA_OVERRIDES: JSON.stringify({ 'agency-decision': '6 seconds' }),
        AGENCY_RESUBMIT_EVERY: '3 seconds',
        AGENCY_ANSWER_DELAY: '1 second',
        AGENCY_ANSWER_RETRY: '500',
        AGENCY_FAILING_PROGRAMMES: 'rehabilitation',
        STEP_FAILING_AFTER_ATTEMPTS: '2',
      }, simulator: true });
    ({ services, temporal, db } = stack);
    simulator = stack.simulator!;
  });

  afterAll(() => stack?.close());

  const call = (...args: Parameters<E2eStack['call']>) => stack.call(...args);

  /** P1 first, as a caseworker would: the immigration office clears the work permission. */
  async function clearWorkPermission(caseRef: string): Promise<void> {
    const asked = await call('job-centre', 'POST', '/status-clarifications', {
      caseRef,
      caseworkerId: 'jc.mueller',
      subject: SUBJECT,
      questions: ['employment-permitted'],
    });
    expect(asked.status).toBe(202);
    await eventually(
      async () => {
        const record = await call('job-centre', 'GET', `/status-clarifications/${caseRef}`);
        if (record.body.state === 'answered') return record.body;
        const { body: tasks } = await call('immigration', 'GET', '/inbox/tasks?kind=status-inquiry');
        const task = (tasks as { id: string; caseRef: string }[]).find((t) => t.caseRef === caseRef);
        if (task) {
          await call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, { caseworkerId: 'abh.schmidt', answer: ANSWER_ALLOWED });
        }
        return undefined;
      },
      60000,
      `the status clarification of ${caseRef}`,
    );
  }

  function referral(caseRef: string, extra: object = {}) {
    return { caseRef, caseworkerId: 'jc.mueller', programme: 'competence-assessment', subject: REFERRED, ...extra };
  }

  async function referralIn(caseRef: string, state: string) {
    return eventually(
      async () => {
        const { body } = await call('job-centre', 'GET', `/agency-referrals/${caseRef}`);
        return body.state === state ? body : undefined;
      },
      60000,
      `the referral of ${caseRef} in state ${state}`,
    );
  }

  it('reports the simulator and the hybrid gateway healthy, with the referral endpoints documented', async () => {
    expect((await fetch(`${simulator.url}/health`)).status).toBe(200);
    expect((await call('employment-agency-gateway', 'GET', '/health')).status).toBe(200);
    const gatewayApi = await call('employment-agency-gateway', 'GET', '/docs-json');
    expect(Object.keys(gatewayApi.body.paths)).toContain('/referrals/statistics');
    const jobCentreApi = await call('job-centre', 'GET', '/docs-json');
    expect(Object.keys(jobCentreApi.body.paths)).toEqual(
      expect.arrayContaining(['/agency-referrals', '/agency-referrals/{caseRef}', '/inbox/tasks/{taskId}/agency-information']),
    );
  });

  it('refers a cleared client, answers the agency\'s request for information, and ends accepted', async () => {
    const caseRef = newCaseRef();
    await clearWorkPermission(caseRef);
    const started = await call('job-centre', 'POST', '/agency-referrals', referral(caseRef));
    expect(started).toMatchObject({ status: 202, body: { caseRef, handoffId: `agency-referral:${caseRef}`, programmeCarrier: 'job-centre' } });
    expect((await call('job-centre', 'POST', '/agency-referrals', referral(caseRef))).status).toBe(200);

    const asking = await referralIn(caseRef, 'needs-info');
    expect(asking).toMatchObject({ workPermission: 'CLEARED', outcome: 'NEEDS_INFO', missing: ['languageLevel'], programmeCarrier: 'job-centre' });
    const task = await eventually(async () => {
      const { body } = await call('job-centre', 'GET', '/inbox/tasks?kind=agency-information-request');
      return (body as { id: string; caseRef: string }[]).find((t) => t.caseRef === caseRef);
    });
    const handle = temporal.workflow.getHandle(started.body.handoffId);
    // The task is written by an activity; the workflow records the new stage just after it.
    const waiting = await eventually(async () => {
      const attributes = (await handle.describe()).typedSearchAttributes;
      return attributes.get(HandoffStage) === 'NEEDS_INFO' ? attributes : undefined;
    });
    expect([waiting.get(WaitingOn), waiting.get(OwningDomain)]).toEqual(['job-centre', 'job-centre']);

    const refused = await call('job-centre', 'POST', `/inbox/tasks/${task.id}/agency-information`, { caseworkerId: 'jc.mueller', information: {} });
    expect(refused.status).toBe(400);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body.detail).toMatch(/languageLevel/);
    const supplied = await call('job-centre', 'POST', `/inbox/tasks/${task.id}/agency-information`, { caseworkerId: 'jc.mueller', information: { languageLevel: 'B1' } });
    expect(supplied).toMatchObject({ status: 200, body: { nextRound: 2 } });

    const accepted = await referralIn(caseRef, 'accepted');
    expect(accepted).toMatchObject({ outcome: 'ACCEPTED', round: 2, programmeCarrier: 'employment-agency' });
    expect(await handle.result()).toMatchObject({ outcome: 'ACCEPTED', rounds: 2 });

    const summary = (log: { flowId: string; direction: string }[]) => log.map((e) => `${e.direction} ${e.flowId}`).sort();
    const jobCentreLog = (await call('job-centre', 'GET', `/transfer-log?caseRef=${caseRef}`)).body;
    const gatewayLog = (await call('employment-agency-gateway', 'GET', `/transfer-log?caseRef=${caseRef}`)).body;
    expect(summary(jobCentreLog.filter((e: { process: string }) => e.process === 'agency-referral'))).toEqual([
      'received P3B-AA-JC-DECISION',
      'received P3B-AA-JC-INFO-REQUEST',
      'sent P3B-JC-AA-INFORMATION',
      'sent P3B-JC-AA-REFERRAL',
    ]);
    expect(summary(gatewayLog)).toEqual([
      'received P3B-JC-AA-INFORMATION',
      'received P3B-JC-AA-REFERRAL',
      'sent P3B-AA-JC-DECISION',
      'sent P3B-AA-JC-INFO-REQUEST',
    ]);
    const referralSent = jobCentreLog.find((e: { flowId: string }) => e.flowId === 'P3B-JC-AA-REFERRAL');
    expect(referralSent.legalBasis).toBe('§ 50 Abs. 1 SGB II; §§ 88, 89 SGB X');
    expect(referralSent.fieldNames).toEqual(expect.arrayContaining(['subject.baCustomerNumber', 'workPermission', 'programme']));
  });

  it('ends refused with the reason when the work permission is not cleared; the case stays with the job centre', async () => {
    const caseRef = newCaseRef();
    expect((await call('job-centre', 'POST', '/agency-referrals', referral(caseRef, { languageLevel: 'B2' }))).status).toBe(202);
    const refused = await referralIn(caseRef, 'refused');
    expect(refused).toMatchObject({ workPermission: 'NOT_CLARIFIED', refusalReason: 'work-permission-not-cleared', programmeCarrier: 'job-centre' });
    const handle = temporal.workflow.getHandle(`agency-referral:${caseRef}`);
    expect(await handle.result()).toMatchObject({ outcome: 'REFUSED', refusalReason: 'work-permission-not-cleared' });
    const closed = (await handle.describe()).typedSearchAttributes;
    expect([closed.get(HandoffStage), closed.get(OwningDomain)]).toEqual(['REFUSED', 'job-centre']);
  });

  it('shows the handoff stuck (external-silent) while the agency\'s system is stopped, and loses nothing', async () => {
    const caseRef = newCaseRef();
    expect(await simulator.stop()).toBe(0);
    expect((await call('job-centre', 'POST', '/agency-referrals', referral(caseRef, { languageLevel: 'A1' }))).status).toBe(202);
    const handle = temporal.workflow.getHandle(`agency-referral:${caseRef}`);
    const stuck = await eventually(
      async () => {
        const attributes = (await handle.describe()).typedSearchAttributes;
        return attributes.get(Stuck) === true ? attributes : undefined;
      },
      30000,
      'the handoff to show stuck',
    );
    expect([stuck.get(StuckReason), stuck.get(WaitingOn), stuck.get(HandoffStage)]).toEqual(['external-silent', 'employment-agency-gateway', 'SENT']);
    expect((await call('job-centre', 'GET', `/agency-referrals/${caseRef}`)).body.state).toBe('precheck');

    await simulator.start();
    const refused = await referralIn(caseRef, 'refused');
    expect(refused.refusalReason).toBe('work-permission-not-cleared');
    await handle.result();
    const cleared = (await handle.describe()).typedSearchAttributes;
    expect([cleared.get(Stuck), cleared.get(StuckReason)]).toEqual([false, undefined]);
    expect((await db.query('SELECT 1 FROM employment_agency_gateway.agency_decision d JOIN employment_agency_gateway.agency_submission s USING (referral_id, round) WHERE s.case_ref = $1', [caseRef])).rowCount).toBe(1);
  });

  it("shows the handoff stuck (step-failing) while the agency's intake answers with errors, and clears when it takes the referral", async () => {
    const caseRef = newCaseRef();
    await clearWorkPermission(caseRef);
    expect((await call('job-centre', 'POST', '/agency-referrals', referral(caseRef, { programme: 'rehabilitation', languageLevel: 'B1' }))).status).toBe(202);
    const handle = temporal.workflow.getHandle(`agency-referral:${caseRef}`);
    const failing = await eventually(
      async () => {
        const attributes = (await handle.describe()).typedSearchAttributes;
        return attributes.get(StuckReason) === 'step-failing' ? attributes : undefined;
      },
      30000,
      'the handoff to show a failing step',
    );
    expect([failing.get(Stuck), failing.get(WaitingOn), failing.get(HandoffStage)]).toEqual([true, 'employment-agency-gateway', 'SENT']);
    const { currentDetails } = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(currentDetails).toContain('keeps failing');
    expect(currentDetails).toContain('AgencySystemError');

    // The agency repairs its intake: the simulator restarts without the fault, and the referral goes through.
    await simulator.restart({ AGENCY_FAILING_PROGRAMMES: '' });
    await referralIn(caseRef, 'accepted');
    await handle.result();
    const cleared = (await handle.describe()).typedSearchAttributes;
    expect([cleared.get(Stuck), cleared.get(StuckReason)]).toEqual([false, undefined]);
  });

  it('shows acceptance statistics by outcome and refusal reason through the gateway', async () => {
    const statistics = await call('employment-agency-gateway', 'GET', '/referrals/statistics?programme=competence-assessment');
    expect(statistics.status).toBe(200);
    expect(statistics.body.byOutcome.ACCEPTED).toBeGreaterThanOrEqual(1);
    expect(statistics.body.byOutcome.REFUSED).toBeGreaterThanOrEqual(2);
    expect(statistics.body.refusalsByReason['work-permission-not-cleared']).toBeGreaterThanOrEqual(2);
    expect(statistics.body.acceptanceRate).toBeGreaterThan(0);
    const bad = await call('employment-agency-gateway', 'GET', '/referrals/statistics?since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['since']);
  });

  it('answers bad input with problem+json naming each bad field, and starts or writes nothing', async () => {
    const caseRef = newCaseRef();
    const invalid = await call('job-centre', 'POST', '/agency-referrals', { ...referral(caseRef), programme: 'yoga', subject: { ...REFERRED, baCustomerNumber: 'X' }, extra: 1 });
    expect(invalid.status).toBe(400);
    expect(invalid.contentType).toContain('application/problem+json');
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'programme', 'subject.baCustomerNumber']);
    expect((await call('job-centre', 'POST', '/agency-referrals', '{"caseRef": ')).status).toBe(400);
    expect((await db.query('SELECT 1 FROM job_centre.agency_referral WHERE case_ref = $1', [caseRef])).rowCount).toBe(0);
    await expect(temporal.workflow.getHandle(`agency-referral:${caseRef}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

    expect((await call('job-centre', 'POST', '/agency-referrals', referral(caseRef))).status).toBe(202);
    const conflicting = await call('job-centre', 'POST', '/agency-referrals', referral(caseRef, { programme: 'career-guidance' }));
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.recorded).toMatchObject({ caseRef, programme: 'competence-assessment' });

    expect((await call('job-centre', 'GET', `/agency-referrals/${newCaseRef()}`)).status).toBe(404);
    const noTask = await call('job-centre', 'POST', '/inbox/tasks/0b7d4a52-7a43-4f7e-bb1c-2d0c1e9f3a11/agency-information', {
      caseworkerId: 'jc.mueller',
      information: { languageLevel: 'B1' },
    });
    expect(noTask.status).toBe(404);
  });

  it('writes no personal data to any service log or the simulator\'s', () => {
    const logs = [...Object.values(services), simulator].flatMap((service) => service.output).join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const value of [REFERRED.familyName, REFERRED.givenNames, REFERRED.dateOfBirth, REFERRED.baCustomerNumber, SUBJECT.azrNumber!]) {
      expect(logs).not.toContain(value);
    }
  });
});
