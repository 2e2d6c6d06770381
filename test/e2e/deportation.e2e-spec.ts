import type { Client } from '@temporalio/client';
import { type Client as PgClient } from 'pg';
import { CaseRef, HandoffStage, WaitingOn, benefitEndDay, type Domain } from '@handoffs/contracts';
import {
  dayOperation,
  deportationRequest as request,
  eventually,
  nightOperation,
  newCaseRef,
  startE2eStack,
  type E2eStack,
} from '@handoffs/testing';

/**
 * Deportation of a family end to end: the immigration office leads, the KSD (social services) takes
 * part; the built services as separate processes on the real Temporal server and PostgreSQL, through HTTP.
 */
describe('deportation of a family across the immigration office and social services', () => {
  let stack: E2eStack;
  let temporal: Client;
  let db: PgClient;

  beforeAll(async () => {
    stack = await startE2eStack('e2e-p2');
    ({ temporal, db } = stack);
  });

  afterAll(() => stack?.close());

  const call = (...args: Parameters<E2eStack['call']>) => stack.call(...args);

  async function taskFor(domain: Domain, kind: string, caseRef: string): Promise<{ id: string; state: string; details: any }> {
    return eventually(async () => {
      const { body } = await call(domain, 'GET', `/inbox/tasks?kind=${kind}`);
      return (body as { id: string; caseRef: string; state: string; details: unknown }[]).find((t) => t.caseRef === caseRef);
    }, 30000, `a ${kind} task for ${caseRef}`);
  }

  /** A decision the workflow refuses only until the previous step is on record (409), then takes. */
  async function once(domain: Domain, path: string, body: unknown) {
    return eventually(async () => {
      const response = await call(domain, 'POST', path, body);
      return response.status === 409 ? undefined : response;
    }, 30000, `POST ${path}`);
  }

  async function row(sql: string, params: unknown[]): Promise<Record<string, any> | undefined> {
    return (await db.query(sql, params)).rows[0];
  }

  it('takes a family through participation, a concern, the decision, a night date with a logged override, a separation and the departure', async () => {
    const caseRef = newCaseRef('ABH');
    const started = await call('immigration', 'POST', '/deportations', request(caseRef));
    expect(started).toMatchObject({ status: 202, body: { caseRef, handoffId: `deportation:${caseRef}`, state: 'open' } });
    expect((await call('immigration', 'POST', '/deportations', request(caseRef))).status).toBe(200);

    // The KSD sees the family (children's ages, no names, no date) and raises a concern.
    const participation = await taskFor('social-services', 'child-welfare-participation', caseRef);
    expect(participation.details).toEqual({ family: { childrenAges: [4, 9, 15], vulnerabilities: ['school-age-children'] } });
    const handle = temporal.workflow.getHandle(`deportation:${caseRef}`);
    const waiting = await eventually(async () => {
      const attributes = (await handle.describe()).typedSearchAttributes;
      return attributes.get(HandoffStage) === 'PREPARATION' ? attributes : undefined;
    });
    expect([waiting.get(CaseRef), waiting.get(WaitingOn)]).toEqual([caseRef, 'social-services']);
    const unreasoned = await call('social-services', 'POST', `/inbox/tasks/${participation.id}/participation`, { caseworkerId: 'ksd.becker', finding: 'concern' });
    expect(unreasoned.status).toBe(400);
    expect(unreasoned.body.detail).toMatch(/a concern needs a reason/);
    const concern = await call('social-services', 'POST', `/inbox/tasks/${participation.id}/participation`, {
      caseworkerId: 'ksd.becker',
      finding: 'concern',
      concernReason: 'care-arrangement-missing',
    });
    expect(concern).toMatchObject({ status: 200, body: { caseRef, stage: 'HALTED' } });

    // Halted until a person at the immigration office decides.
    const decision = await taskFor('immigration', 'deportation-decision', caseRef);
    expect(decision.details).toMatchObject({ concernReason: 'care-arrangement-missing' });
    const tooEarly = await call('immigration', 'POST', `/deportations/${caseRef}/schedule`, { caseworkerId: 'abh.vollzug', plannedAt: dayOperation() });
    expect(tooEarly).toMatchObject({ status: 409, body: { refusal: 'NotAwaitingDecision' } });
    expect(await call('immigration', 'POST', `/inbox/tasks/${decision.id}/decision`, { caseworkerId: 'abh.lead', decision: 'proceed' })).toMatchObject({
      status: 200,
      body: { stage: 'PARTICIPATED' },
    });

    // No night operation for children under 14 without a logged override.
    const night = await once('immigration', `/deportations/${caseRef}/schedule`, { caseworkerId: 'abh.vollzug', plannedAt: nightOperation() });
    expect(night.status).toBe(400);
    expect(night.body.detail).toMatch(/nightOverride/);
    const scheduled = await call('immigration', 'POST', `/deportations/${caseRef}/schedule`, {
      caseworkerId: 'abh.vollzug',
      plannedAt: nightOperation(),
      nightOverride: { reason: 'only-flight-departs-at-night' },
    });
    expect(scheduled).toMatchObject({ status: 200, body: { stage: 'SCHEDULED' } });

    // The date: enforcement yes, other immigration staff no; the assigned social worker yes (time-boxed), colleagues no.
    expect(await call('immigration', 'GET', `/deportations/${caseRef}/planned-date?caseworkerId=abh.vollzug&role=enforcement`)).toMatchObject({
      status: 200,
      body: { plannedAt: nightOperation(), nightOverride: { reason: 'only-flight-departs-at-night', loggedBy: { domain: 'immigration', caseworkerId: 'abh.vollzug' } } },
    });
    expect((await call('immigration', 'GET', `/deportations/${caseRef}/planned-date?caseworkerId=abh.schmidt&role=caseworker`)).status).toBe(403);
    const forSocialWorker = await eventually(async () => {
      const response = await call('social-services', 'GET', `/deportation-participations/${caseRef}/planned-date?caseworkerId=ksd.becker`);
      return response.status === 200 ? response : undefined;
    });
    expect(forSocialWorker.body.plannedAt).toBe(nightOperation());
    expect((await call('social-services', 'GET', `/deportation-participations/${caseRef}/planned-date?caseworkerId=ksd.other`)).status).toBe(403);
    const caseView = await call('immigration', 'GET', `/deportations/${caseRef}`);
    expect(caseView.body).toMatchObject({ stage: 'SCHEDULED', scheduled: true });
    expect(JSON.stringify(caseView.body)).not.toContain(nightOperation().slice(0, 10));
    expect(JSON.stringify((await handle.describe()).typedSearchAttributes)).not.toContain(nightOperation().slice(0, 10));

    // A child is separated: the child-protection task is in the KSD's inbox when the answer comes.
    const separation = await call('social-services', 'POST', `/deportation-participations/${caseRef}/separations`, {
      caseworkerId: 'ksd.becker',
      childAge: 15,
      circumstance: 'child-absconded',
    });
    expect(separation.status).toBe(201);
    expect(await call('social-services', 'GET', `/inbox/tasks/${separation.body.taskId}`)).toMatchObject({
      status: 200,
      body: { kind: 'child-protection', state: 'open', details: { childAge: 15, circumstance: 'child-absconded' } },
    });

    const departedAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const executed = await call('immigration', 'POST', `/deportations/${caseRef}/execution`, { caseworkerId: 'abh.vollzug', departedAt, departure: 'deported' });
    expect(executed).toMatchObject({ status: 200, body: { stage: 'EXECUTED' } });
    expect(await handle.result()).toMatchObject({ outcome: 'PARTIAL', separations: 1 });

    // AsylbLG ends on the day of departure; the child-protection task stays open with the KSD.
    const benefit = await row("SELECT state, to_char(ends_on, 'YYYY-MM-DD') AS ends_on FROM social_services.deportation_asylblg_benefit WHERE case_ref = $1", [caseRef]);
    expect(benefit).toEqual({ state: 'ended', ends_on: benefitEndDay(departedAt) });
    expect((await call('social-services', 'GET', `/inbox/tasks/${separation.body.taskId}`)).body.state).toBe('open');
    expect((await call('immigration', 'GET', `/deportations/${caseRef}`)).body).toMatchObject({ state: 'executed', outcome: 'PARTIAL' });

    const summary = async (domain: Domain) =>
      ((await call(domain, 'GET', `/transfer-log?caseRef=${caseRef}`)).body as { flowId: string; direction: string }[]).map((e) => `${e.direction} ${e.flowId}`).sort();
    expect(await summary('immigration')).toEqual([
      'received P2-KSD-ABH-FINDING',
      'sent P2-ABH-KSD-PARTICIPATION',
      'sent P2-ABH-KSD-SCHEDULE',
      'sent P2-ABH-KSD-SEPARATION',
      'sent P2-ABH-SA-DEPARTURE',
    ]);
    expect(await summary('social-services')).toEqual([
      'received P2-ABH-KSD-PARTICIPATION',
      'received P2-ABH-KSD-SCHEDULE',
      'received P2-ABH-KSD-SEPARATION',
      'received P2-ABH-SA-DEPARTURE',
      'sent P2-KSD-ABH-FINDING',
    ]);
  });

  it('unwinds a scheduled deportation stopped by a court: benefits restored, assignment released, date hidden again', async () => {
    const caseRef = newCaseRef('ABH');
    expect((await call('immigration', 'POST', '/deportations', request(caseRef))).status).toBe(202);
    const participation = await taskFor('social-services', 'child-welfare-participation', caseRef);
    expect((await call('social-services', 'POST', `/inbox/tasks/${participation.id}/participation`, { caseworkerId: 'ksd.becker', finding: 'no-concern' })).body.stage).toBe('PARTICIPATED');
    expect((await once('immigration', `/deportations/${caseRef}/schedule`, { caseworkerId: 'abh.vollzug', plannedAt: dayOperation() })).status).toBe(200);
    await eventually(() => row('SELECT 1 FROM social_services.deportation_asylblg_benefit WHERE case_ref = $1 AND state = $2', [caseRef, 'ending']));

    expect(await call('immigration', 'POST', `/deportations/${caseRef}/cancellation`, { caseworkerId: 'abh.vollzug', reason: 'court-stay' })).toMatchObject({
      status: 200,
      body: { stage: 'SUSPENDED' },
    });
    expect(await temporal.workflow.getHandle(`deportation:${caseRef}`).result()).toMatchObject({ outcome: 'SUSPENDED', cancellationReason: 'court-stay' });
    expect(await row('SELECT state, ends_on, restore_reason FROM social_services.deportation_asylblg_benefit WHERE case_ref = $1', [caseRef])).toEqual({
      state: 'restored',
      ends_on: null,
      restore_reason: 'court-stay',
    });
    expect(await row('SELECT state, social_worker, planned_at FROM social_services.deportation_participation WHERE case_ref = $1', [caseRef])).toEqual({
      state: 'released',
      social_worker: null,
      planned_at: null,
    });
    expect((await call('social-services', 'GET', `/deportation-participations/${caseRef}/planned-date?caseworkerId=ksd.becker`)).status).toBe(403);
    const late = await call('immigration', 'POST', `/deportations/${caseRef}/execution`, { caseworkerId: 'abh.vollzug', departedAt: new Date().toISOString(), departure: 'deported' });
    expect([404, 409]).toContain(late.status);
  });

  it('withdraws the KSD task when the family absconds before the KSD answered', async () => {
    const caseRef = newCaseRef('ABH');
    expect((await call('immigration', 'POST', '/deportations', request(caseRef))).status).toBe(202);
    const participation = await taskFor('social-services', 'child-welfare-participation', caseRef);
    expect((await once('immigration', `/deportations/${caseRef}/cancellation`, { caseworkerId: 'abh.vollzug', reason: 'absconded' })).body.stage).toBe('ABORTED');
    expect(await temporal.workflow.getHandle(`deportation:${caseRef}`).result()).toMatchObject({ outcome: 'ABORTED' });
    expect((await call('social-services', 'GET', `/inbox/tasks/${participation.id}`)).body.state).toBe('withdrawn');
    const late = await call('social-services', 'POST', `/inbox/tasks/${participation.id}/participation`, { caseworkerId: 'ksd.becker', finding: 'no-concern' });
    expect(late).toMatchObject({ status: 409, body: { recorded: { state: 'withdrawn' } } });
  });

  it('answers bad input with problem+json naming each bad field, and a different case under the same reference with 409', async () => {
    const caseRef = newCaseRef('ABH');
    const invalid = await call('immigration', 'POST', '/deportations', { ...request(caseRef), childrenAges: 'three', plannedDate: 'soon', names: ['Lina'] });
    expect(invalid.status).toBe(400);
    expect(invalid.contentType).toContain('application/problem+json');
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['childrenAges', 'names', 'plannedDate']);
    expect(await row('SELECT 1 FROM immigration.deportation_case WHERE case_ref = $1', [caseRef])).toBeUndefined();
    expect((await call('immigration', 'POST', '/deportations', '{"caseRef": ')).status).toBe(400);

    expect((await call('immigration', 'POST', '/deportations', request(caseRef))).status).toBe(202);
    const different = await call('immigration', 'POST', '/deportations', { ...request(caseRef), vulnerabilities: ['illness'] });
    expect(different).toMatchObject({ status: 409, body: { recorded: { caseRef, state: 'open' } } });
    await once('immigration', `/deportations/${caseRef}/cancellation`, { caseworkerId: 'abh.vollzug', reason: 'toleration-granted' });
  });
});
