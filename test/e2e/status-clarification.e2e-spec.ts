import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { type Client as PgClient } from 'pg';
import { CaseRef, HandoffStage, Stuck, WaitingOn, type Domain } from '@handoffs/contracts';
import {
  ANSWER_ALLOWED,
  SUBJECT,
  eventually,
  newCaseRef,
  startE2eStack,
  type E2eStack,
} from '@handoffs/testing';

/**
 * Status clarification end to end: the four services as built artefacts, each its own process, on a
 * real Temporal server and PostgreSQL, driven through their HTTP APIs as caseworkers would.
 */
describe('status clarification across the job centre and the immigration office', () => {
  let stack: E2eStack;
  let services: E2eStack['services'];
  let temporal: Client;
  let db: PgClient;

  beforeAll(async () => {
    stack = await startE2eStack('e2e-p1');
    ({ services, temporal, db } = stack);
  });

  afterAll(() => stack?.close());

  const call = (...args: Parameters<E2eStack['call']>) => stack.call(...args);

  function request(caseRef: string) {
    return {
      caseRef,
      caseworkerId: 'jc.mueller',
      subject: SUBJECT,
      questions: ['employment-permitted', 'document-validity', 'residence-obligation'],
    };
  }

  async function inboxTaskFor(caseRef: string): Promise<{ id: string; details: { inquiry: { subject: unknown } } }> {
    return eventually(async () => {
      const { body } = await call('immigration', 'GET', '/inbox/tasks?kind=status-inquiry');
      return (body as { id: string; caseRef: string; details: { inquiry: { subject: unknown } } }[]).find((t) => t.caseRef === caseRef);
    }, 30000, `an inbox task for ${caseRef}`);
  }

  async function answered(caseRef: string) {
    return eventually(async () => {
      const { body } = await call('job-centre', 'GET', `/status-clarifications/${caseRef}`);
      return body.state === 'answered' ? body : undefined;
    }, 30000, `the answer for ${caseRef} at the job centre`);
  }

  async function rows(sql: string, params: unknown[]): Promise<number> {
    return (await db.query(sql, params)).rowCount ?? 0;
  }

  it('reports every service healthy with its OpenAPI document', async () => {
    for (const domain of Object.keys(services) as Domain[]) {
      const health = await call(domain, 'GET', '/health');
      expect(health).toMatchObject({ status: 200, body: { status: 'ok', database: 'up', temporal: 'up', worker: 'RUNNING' } });
      const openApi = await call(domain, 'GET', '/docs-json');
      expect(Object.keys(openApi.body.paths)).toEqual(expect.arrayContaining(['/health', '/inbox/tasks', '/transfer-log']));
      expect((await fetch(`${services[domain].url}/docs`)).status).toBe(200);
    }
  });

  it('carries a job-centre inquiry to the immigration office and its answer back, logging both transfers on both sides', async () => {
    const caseRef = newCaseRef();
    const started = await call('job-centre', 'POST', '/status-clarifications', request(caseRef));
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ caseRef, handoffId: `status-clarification:${caseRef}`, state: 'requested' });

    const again = await call('job-centre', 'POST', '/status-clarifications', request(caseRef));
    expect(again).toMatchObject({ status: 200, body: { handoffId: started.body.handoffId } });

    const task = await inboxTaskFor(caseRef);
    expect(task.details.inquiry.subject).toEqual(SUBJECT);
    const handle = temporal.workflow.getHandle(started.body.handoffId);
    // The inbox task is written by an activity; the workflow records the new stage just after it.
    const waiting = await eventually(async () => {
      const attributes = (await handle.describe()).typedSearchAttributes;
      return attributes.get(HandoffStage) === 'ABH_ASKED' ? attributes : undefined;
    });
    expect([waiting.get(CaseRef), waiting.get(HandoffStage), waiting.get(WaitingOn), waiting.get(Stuck)]).toEqual([
      caseRef,
      'ABH_ASKED',
      'immigration',
      false,
    ]);

    const answer = await call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, { caseworkerId: 'abh.schmidt', answer: ANSWER_ALLOWED });
    expect(answer).toMatchObject({ status: 200, body: { taskId: task.id, caseRef, outcome: 'CLEARED' } });

    const record = await answered(caseRef);
    expect(record).toMatchObject({
      outcome: 'CLEARED',
      answer: ANSWER_ALLOWED,
      answeredBy: { domain: 'immigration', caseworkerId: 'abh.schmidt' },
      validUntil: ANSWER_ALLOWED.validUntil,
    });
    const closed = await eventually(async () => {
      const description = await handle.describe();
      return description.typedSearchAttributes.get(HandoffStage) === 'RECHECK_SCHEDULED' ? description : undefined;
    });
    expect(closed.typedSearchAttributes.get(WaitingOn)).toBeUndefined();
    const askedAgain = await call('job-centre', 'POST', '/status-clarifications', request(caseRef));
    expect(askedAgain).toMatchObject({ status: 200, body: { state: 'answered', outcome: 'CLEARED' } });
    expect((await handle.describe()).runId).toBe(closed.runId);

    const jobCentreLog = (await call('job-centre', 'GET', `/transfer-log?caseRef=${caseRef}`)).body;
    const immigrationLog = (await call('immigration', 'GET', `/transfer-log?caseRef=${caseRef}`)).body;
    const summary = (log: { flowId: string; direction: string; counterpart: string }[]) =>
      log.map((e) => `${e.direction} ${e.flowId} ${e.counterpart}`).sort();
    expect(summary(jobCentreLog)).toEqual(['received P1-ABH-JC-ANSWER immigration', 'sent P1-JC-ABH-INQUIRY immigration']);
    expect(summary(immigrationLog)).toEqual(['received P1-JC-ABH-INQUIRY job-centre', 'sent P1-ABH-JC-ANSWER job-centre']);
    for (const entry of [...jobCentreLog, ...immigrationLog]) {
      expect(entry.legalBasis).toMatch(/\S/);
      expect(entry.purpose).toMatch(/Status clarification/);
      expect(entry.fieldNames.length).toBeGreaterThan(0);
    }
    expect(jobCentreLog.find((e: { direction: string }) => e.direction === 'sent').fieldNames).toEqual([
      'questions',
      'subject.azrNumber',
      'subject.dateOfBirth',
      'subject.familyName',
      'subject.givenNames',
    ]);

    const second = await call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, {
      caseworkerId: 'abh.other',
      answer: { ...ANSWER_ALLOWED, employmentPermission: 'PROHIBITED' },
    });
    expect(second.status).toBe(409);
    expect(second.contentType).toContain('application/problem+json');
    expect(second.body.recorded).toMatchObject({ state: 'completed', resolution: { outcome: 'CLEARED', answer: ANSWER_ALLOWED } });
  });

  it('answers bad input with problem+json naming each bad field, and starts or writes nothing', async () => {
    const caseRef = newCaseRef();
    const malformed = await call('job-centre', 'POST', '/status-clarifications', '{"caseRef": ');
    expect(malformed.status).toBe(400);
    expect(malformed.contentType).toContain('application/problem+json');

    const invalid = await call('job-centre', 'POST', '/status-clarifications', {
      ...request(caseRef),
      caseworkerId: 42,
      subject: { familyName: '', givenNames: 'Rami', dateOfBirth: '14.03.1991' },
      questions: ['is-she-nice'],
      favouriteColour: 'blue',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.contentType).toContain('application/problem+json');
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['caseworkerId', 'favouriteColour', 'questions', 'subject.dateOfBirth', 'subject.familyName'].sort(),
    );
    const missing = await call('job-centre', 'POST', '/status-clarifications', { caseRef });
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['caseworkerId', 'questions', 'subject']);
    const badCaseRef = await call('job-centre', 'POST', '/status-clarifications', { ...request(caseRef), caseRef: 'Haddad 1991-03-14' });
    expect(badCaseRef.body.errors.map((e: { field: string }) => e.field)).toEqual(['caseRef']);

    expect(await rows('SELECT 1 FROM job_centre.status_clarification WHERE case_ref = $1', [caseRef])).toBe(0);
    await expect(temporal.workflow.getHandle(`status-clarification:${caseRef}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

    const unknownCase = await call('job-centre', 'GET', `/status-clarifications/${newCaseRef()}`);
    expect(unknownCase.status).toBe(404);
    expect(unknownCase.contentType).toContain('application/problem+json');
    const unknownTask = await call('immigration', 'POST', '/inbox/tasks/8d1e4b9a-3f0c-4e55-9a51-7d3c2f1b6e01/answer', {
      caseworkerId: 'abh.schmidt',
      answer: ANSWER_ALLOWED,
    });
    expect(unknownTask.status).toBe(404);
  });

  it('refuses a different request under a case reference already in use (409) and a bad answer (400), changing nothing', async () => {
    const caseRef = newCaseRef();
    expect((await call('job-centre', 'POST', '/status-clarifications', request(caseRef))).status).toBe(202);
    const different = await call('job-centre', 'POST', '/status-clarifications', { ...request(caseRef), questions: ['document-validity'] });
    expect(different.status).toBe(409);
    expect(different.body.recorded).toMatchObject({ caseRef, state: 'requested' });

    const task = await inboxTaskFor(caseRef);
    const inconsistent = await call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, {
      caseworkerId: 'abh.schmidt',
      answer: { ...ANSWER_ALLOWED, validFrom: '2028-01-01', validUntil: '2027-01-01' },
    });
    expect(inconsistent.status).toBe(400);
    expect(inconsistent.body.detail).toMatch(/validUntil lies before validFrom/);
    const wrongShape = await call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, {
      caseworkerId: 'abh.schmidt',
      answer: { ...ANSWER_ALLOWED, employmentPermission: 'MAYBE', legalBasis: 'because' },
    });
    expect(wrongShape.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['answer.employmentPermission', 'answer.legalBasis']);
    expect((await call('immigration', 'GET', `/inbox/tasks/${task.id}`)).body.state).toBe('open');
    expect(await rows("SELECT 1 FROM job_centre.status_clarification WHERE case_ref = $1 AND state = 'requested'", [caseRef])).toBe(1);
  });

  it('loses nothing when the immigration service is killed while a handoff waits on it', async () => {
    const caseRef = newCaseRef();
    expect((await call('job-centre', 'POST', '/status-clarifications', request(caseRef))).status).toBe(202);
    const task = await inboxTaskFor(caseRef);

    await services.immigration.stop('SIGKILL');
    const whileDown = newCaseRef();
    expect((await call('job-centre', 'POST', '/status-clarifications', request(whileDown))).status).toBe(202);
    await services.immigration.start();

    const answer = await call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, { caseworkerId: 'abh.schmidt', answer: ANSWER_ALLOWED });
    expect(answer.status).toBe(200);
    const lateTask = await inboxTaskFor(whileDown);
    await call('immigration', 'POST', `/inbox/tasks/${lateTask.id}/answer`, { caseworkerId: 'abh.schmidt', answer: ANSWER_ALLOWED });

    expect((await answered(caseRef)).outcome).toBe('CLEARED');
    expect((await answered(whileDown)).outcome).toBe('CLEARED');
    expect(await rows('SELECT 1 FROM immigration.inbox_task WHERE case_ref = ANY($1)', [[caseRef, whileDown]])).toBe(2);
    expect(await rows('SELECT 1 FROM job_centre.transfer_log WHERE case_ref = ANY($1)', [[caseRef, whileDown]])).toBe(4);
  });

  it('answers from the immigration register at once when its record is current, with no task for anyone', async () => {
    const caseRef = newCaseRef();
    const azrNumber = `AZR${Date.now()}`;
    const registered = await call('immigration', 'PUT', `/residence-records/${azrNumber}`, {
      caseworkerId: 'abh.schmidt',
      familyName: SUBJECT.familyName,
      dateOfBirth: SUBJECT.dateOfBirth,
      status: ANSWER_ALLOWED,
    });
    expect(registered.status).toBe(200);
    const started = await call('job-centre', 'POST', '/status-clarifications', { ...request(caseRef), subject: { ...SUBJECT, azrNumber } });
    expect(started.status).toBe(202);
    const record = await answered(caseRef);
    expect(record).toMatchObject({ outcome: 'CLEARED', answeredBy: { domain: 'immigration', caseworkerId: 'register' } });
    expect(await rows('SELECT 1 FROM immigration.inbox_task WHERE case_ref = $1', [caseRef])).toBe(0);
    expect((await call('immigration', 'GET', `/transfer-log?caseRef=${caseRef}`)).body).toHaveLength(2);
  });

  it('lets the job centre withdraw an unanswered inquiry, closing the immigration task, and refuses a late answer', async () => {
    const caseRef = newCaseRef();
    await call('job-centre', 'POST', '/status-clarifications', request(caseRef));
    const task = await inboxTaskFor(caseRef);
    const badWithdrawal = await call('job-centre', 'POST', `/status-clarifications/${caseRef}/withdraw`, { caseworkerId: 'jc.mueller' });
    expect(badWithdrawal.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    const withdrawn = await call('job-centre', 'POST', `/status-clarifications/${caseRef}/withdraw`, { caseworkerId: 'jc.mueller', reason: 'Placement cancelled' });
    expect(withdrawn).toMatchObject({ status: 200, body: { state: 'withdrawn', withdrawal: { reason: 'Placement cancelled' } } });
    expect((await call('job-centre', 'POST', `/status-clarifications/${caseRef}/withdraw`, { caseworkerId: 'jc.mueller', reason: 'again' })).status).toBe(409);
    const closed = await eventually(async () => {
      const { body } = await call('immigration', 'GET', `/inbox/tasks/${task.id}`);
      return body.state === 'withdrawn' ? body : undefined;
    });
    expect(closed.state).toBe('withdrawn');
    const late = await call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, { caseworkerId: 'abh.schmidt', answer: ANSWER_ALLOWED });
    expect(late.status).toBe(409);
  });

  it('lets the domain a handoff waits on change its deadline with a reason, and refuses any other domain', async () => {
    const caseRef = newCaseRef();
    await call('job-centre', 'POST', '/status-clarifications', request(caseRef));
    await inboxTaskFor(caseRef);
    const path = `/handoffs/status-clarification/${caseRef}/deadline`;
    const fromJobCentre = await call('job-centre', 'POST', path, { caseworkerId: 'jc.mueller', action: 'extend', extendBy: '2 days', reason: 'Please' });
    expect(fromJobCentre.status).toBe(409);
    const invalid = await call('immigration', 'POST', path, { caseworkerId: 'abh.lead', action: 'postpone', reason: '' });
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['action', 'reason']);
    const extended = await call('immigration', 'POST', path, { caseworkerId: 'abh.lead', action: 'extend', extendBy: '2 days', reason: 'Waiting for the embassy' });
    expect(extended).toMatchObject({ status: 200, body: { suspended: false, changes: [{ action: 'extend', by: { domain: 'immigration', caseworkerId: 'abh.lead' } }] } });
    expect((await call('immigration', 'POST', `/handoffs/status-clarification/${newCaseRef()}/deadline`, { caseworkerId: 'abh.lead', action: 'suspend', reason: 'Court' })).status).toBe(404);
  });

  it('lets one caseworker claim an inquiry; another can neither claim nor answer it until it is released', async () => {
    const caseRef = newCaseRef();
    await call('job-centre', 'POST', '/status-clarifications', request(caseRef));
    const task = await inboxTaskFor(caseRef);
    const claim = (caseworkerId: string, action = 'claim') => call('immigration', 'POST', `/inbox/tasks/${task.id}/${action}`, { caseworkerId });
    expect(await claim('abh.schmidt')).toMatchObject({ status: 200, body: { claimedBy: 'abh.schmidt' } });
    expect(await claim('abh.schmidt')).toMatchObject({ status: 200 });
    expect(await claim('abh.weber')).toMatchObject({ status: 409, body: { recorded: { claimedBy: 'abh.schmidt' } } });
    const answerBy = (caseworkerId: string) => call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, { caseworkerId, answer: ANSWER_ALLOWED });
    expect((await answerBy('abh.weber')).status).toBe(409);
    expect((await claim('abh.weber', 'release')).status).toBe(409);
    expect(await claim('abh.schmidt', 'release')).toMatchObject({ status: 200, body: { claimedBy: null } });
    expect((await answerBy('abh.weber')).status).toBe(200);
    expect((await claim('abh.weber')).status).toBe(409);
  });

  it('answers STATUS_CHANGE and hands social services a task to start the legal-domain transfer', async () => {
    const caseRef = newCaseRef();
    await call('job-centre', 'POST', '/status-clarifications', request(caseRef));
    const task = await inboxTaskFor(caseRef);
    const recognised = { ...ANSWER_ALLOWED, statusChange: { kind: 'refugee-status', servedOn: '2026-11-20' } };
    const badChange = await call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, {
      caseworkerId: 'abh.schmidt',
      answer: { ...recognised, statusChange: { kind: 'promotion', servedOn: '20.11.2026' } },
    });
    expect(badChange.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['answer.statusChange.kind', 'answer.statusChange.servedOn']);
    const answer = await call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, { caseworkerId: 'abh.schmidt', answer: recognised });
    expect(answer).toMatchObject({ status: 200, body: { outcome: 'STATUS_CHANGE' } });
    expect((await answered(caseRef)).outcome).toBe('STATUS_CHANGE');
    const notice = await eventually(async () => {
      const { body } = await call('social-services', 'GET', '/inbox/tasks?kind=status-change-notice');
      return (body as { caseRef: string; details: { recognition: unknown } }[]).find((t) => t.caseRef === caseRef);
    });
    expect(notice.details.recognition).toEqual({ kind: 'refugee-status', servedOn: '2026-11-20' });
    const socialLog = (await call('social-services', 'GET', `/transfer-log?caseRef=${caseRef}`)).body;
    expect(socialLog).toEqual([expect.objectContaining({ flowId: 'P1-ABH-SA-STATUS-CHANGE', direction: 'received', counterpart: 'immigration' })]);
  });

  it('writes no personal data to any service log', () => {
    const logs = Object.values(services).flatMap((service) => service.output).join('');
    expect(logs.length).toBeGreaterThan(0);
    for (const value of [SUBJECT.familyName, SUBJECT.givenNames, SUBJECT.dateOfBirth, SUBJECT.azrNumber!]) {
      expect(logs).not.toContain(value);
    }
  });
});
