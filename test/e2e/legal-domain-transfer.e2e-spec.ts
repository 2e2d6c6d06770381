import type { Client } from '@temporalio/client';
import { type Client as PgClient } from 'pg';
import {
  CaseRef,
  HandoffStage,
  OwningDomain,
  Stuck,
  WaitingOn,
  activeRegimesOn,
  addDays,
  dayOf,
  lastDayOfMonth,
  type BenefitPeriod,
  type Domain,
} from '@handoffs/contracts';
import {
  eventually,
  legalDomainTransferReport as report,
  newCaseRef,
  startE2eStack,
  type E2eStack,
} from '@handoffs/testing';

const TODAY = dayOf(Date.now());

/**
 * P3a AsylbLG → SGB II end to end: the four services as built artefacts, each its own process, on a
 * real Temporal server and PostgreSQL, driven through their HTTP APIs as caseworkers would.
 */
describe('legal-domain transfer AsylbLG → SGB II across social services and the job centre', () => {
  let stack: E2eStack;
  let temporal: Client;
  let db: PgClient;

  beforeAll(async () => {
    stack = await startE2eStack('e2e-p3a');
    ({ temporal, db } = stack);
  });

  afterAll(() => stack?.close());

  const call = (...args: Parameters<E2eStack['call']>) => stack.call(...args);

  async function taskFor(domain: Domain, kind: string, caseRef: string): Promise<{ id: string; details: Record<string, unknown> }> {
    return eventually(async () => {
      const { body } = await call(domain, 'GET', `/inbox/tasks?kind=${kind}`);
      return (body as { id: string; caseRef: string; details: Record<string, unknown> }[]).find((t) => t.caseRef === caseRef);
    }, 30000, `a ${kind} task for ${caseRef}`);
  }

  async function attributes(caseRef: string) {
    return (await temporal.workflow.getHandle(`legal-domain-transfer:${caseRef}`).describe()).typedSearchAttributes;
  }

  /** Both sides' benefit periods, as each domain's read endpoint shows them. */
  function periodsOf(asylblg: { since: string; endsOn: string }, sgb2: { startsOn: string; awardUntil: string | null }): BenefitPeriod[] {
    return [
      { regime: 'AsylbLG', basis: 'award', from: asylblg.since, to: asylblg.endsOn },
      { regime: 'SGB II', basis: 'award', from: sgb2.startsOn, to: sgb2.awardUntil },
    ];
  }

  it('ends AsylbLG at the end of the confirmed month and starts SGB II the next day; two caseworkers at once: one wins', async () => {
    const caseRef = newCaseRef('SA');
    // The 10th of a month five to ten weeks ahead: the rival caseworker's date (a day later) is in the same month.
    const effectiveDate = `${addDays(TODAY, 40).slice(0, 8)}10`;
    const asylblgEnd = lastDayOfMonth(effectiveDate);
    const sgb2Start = addDays(asylblgEnd, 1);

    const started = await call('social-services', 'POST', '/legal-domain-transfers', report(caseRef, TODAY, lastDayOfMonth(TODAY)));
    expect(started).toMatchObject({ status: 202, body: { caseRef, handoffId: `legal-domain-transfer:${caseRef}`, state: 'running' } });
    expect((await call('social-services', 'POST', '/legal-domain-transfers', report(caseRef, TODAY, lastDayOfMonth(TODAY)))).status).toBe(200);

    const confirmTask = await taskFor('social-services', 'effective-date-confirmation', caseRef);
    const waiting = await eventually(async () => {
      const found = await attributes(caseRef);
      return found.get(WaitingOn) === 'social-services' ? found : undefined;
    });
    expect([waiting.get(CaseRef), waiting.get(OwningDomain), waiting.get(HandoffStage), waiting.get(Stuck)]).toEqual([caseRef, 'job-centre', 'TRIGGERED', false]);

    const tooEarly = await call('social-services', 'POST', `/inbox/tasks/${confirmTask.id}/effective-date`, { caseworkerId: 'sa.yilmaz', effectiveDate: addDays(TODAY, -1) });
    expect(tooEarly.status).toBe(400);
    expect(tooEarly.body.detail).toMatch(/before the decision was served/);
    const [first, second] = await Promise.all([
      call('social-services', 'POST', `/inbox/tasks/${confirmTask.id}/effective-date`, { caseworkerId: 'sa.yilmaz', effectiveDate }),
      call('social-services', 'POST', `/inbox/tasks/${confirmTask.id}/effective-date`, { caseworkerId: 'sa.koch', effectiveDate: addDays(effectiveDate, 1) }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const winner = first.status === 200 ? first : second;
    const loser = first.status === 200 ? second : first;
    expect(winner.body).toMatchObject({ asylblgEnd, sgb2Start, ruleSetVersion: 'P3a-2024-01' });
    expect(loser.contentType).toContain('application/problem+json');
    expect(loser.body.recorded).toMatchObject({ state: 'completed' });

    const decisionTask = await taskFor('job-centre', 'sgb-ii-decision', caseRef);
    expect(decisionTask.details).toMatchObject({ asylblgEnd, sgb2Start });
    const gap = await call('job-centre', 'POST', `/inbox/tasks/${decisionTask.id}/sgb-ii-decision`, {
      caseworkerId: 'jc.mueller',
      decision: { kind: 'award', from: addDays(sgb2Start, 1), until: addDays(sgb2Start, 300) },
    });
    expect(gap.status).toBe(400);
    expect(gap.body.detail).toMatch(/the day after AsylbLG ends/);
    const wrongTask = await call('job-centre', 'POST', `/inbox/tasks/${confirmTask.id}/sgb-ii-decision`, {
      caseworkerId: 'jc.mueller',
      decision: { kind: 'no-need', reason: 'income covers the need' },
    });
    expect(wrongTask.status).toBe(404);

    const until = addDays(lastDayOfMonth(addDays(sgb2Start, 330)), 0);
    const decided = await call('job-centre', 'POST', `/inbox/tasks/${decisionTask.id}/sgb-ii-decision`, {
      caseworkerId: 'jc.mueller',
      decision: { kind: 'award', from: sgb2Start, until },
    });
    expect(decided).toMatchObject({ status: 200, body: { outcome: 'SGB2_ACTIVE', ruleSetVersion: 'P3a-2024-01' } });
    const again = await call('job-centre', 'POST', `/inbox/tasks/${decisionTask.id}/sgb-ii-decision`, {
      caseworkerId: 'jc.other',
      decision: { kind: 'no-need', reason: 'income covers the need' },
    });
    expect(again.status).toBe(409);
    expect(again.body.recorded.resolution).toMatchObject({ outcome: 'SGB2_ACTIVE' });

    await temporal.workflow.getHandle(`legal-domain-transfer:${caseRef}`).result();
    const asylblg = (await call('social-services', 'GET', `/legal-domain-transfers/${caseRef}`)).body;
    const sgb2 = (await call('job-centre', 'GET', `/sgb2-applications/${caseRef}`)).body;
    // Either caseworker may have won the race above; the recorded date is the winner's.
    const winningDate = winner === first ? effectiveDate : addDays(effectiveDate, 1);
    expect(asylblg).toMatchObject({ state: 'ended', endsOn: asylblgEnd, reimbursement: null, termination: { effectiveDate: winningDate, ruleSetVersion: 'P3a-2024-01' } });
    expect(sgb2).toMatchObject({ state: 'decided', outcome: 'SGB2_ACTIVE', startsOn: sgb2Start, awardFrom: sgb2Start, advance: null, reimbursementClaim: null });
    const periods = periodsOf(asylblg, sgb2);
    for (let d = addDays(asylblgEnd, -3); d <= addDays(sgb2Start, 3); d = addDays(d, 1)) {
      expect(activeRegimesOn(periods, d)).toHaveLength(1);
    }
    expect((await attributes(caseRef)).get(HandoffStage)).toBe('RECONCILED');

    const summary = (log: { flowId: string; direction: string }[]) => log.map((e) => `${e.direction} ${e.flowId}`).sort();
    expect(summary((await call('social-services', 'GET', `/transfer-log?caseRef=${caseRef}`)).body)).toEqual(['sent P3A-SA-JC-APPLICATION']);
    expect(summary((await call('job-centre', 'GET', `/transfer-log?caseRef=${caseRef}`)).body)).toEqual(['received P3A-SA-JC-APPLICATION']);
  });


  it('a claimed task is completed only by its holder, and the inbox shows it closed when the answer comes', async () => {
    const caseRef = newCaseRef('SA');
    const effectiveDate = `${addDays(TODAY, 40).slice(0, 8)}10`;
    const sgb2Start = addDays(lastDayOfMonth(effectiveDate), 1);
    await call('social-services', 'POST', '/legal-domain-transfers', report(caseRef, TODAY, lastDayOfMonth(TODAY)));

    const confirmTask = await taskFor('social-services', 'effective-date-confirmation', caseRef);
    expect((await call('social-services', 'POST', `/inbox/tasks/${confirmTask.id}/claim`, { caseworkerId: 'sa.koch' })).status).toBe(200);
    const notTheHolder = await call('social-services', 'POST', `/inbox/tasks/${confirmTask.id}/effective-date`, { caseworkerId: 'sa.yilmaz', effectiveDate });
    expect(notTheHolder).toMatchObject({ status: 409, body: { recorded: { state: 'open', claimedBy: 'sa.koch' } } });
    const confirmed = await call('social-services', 'POST', `/inbox/tasks/${confirmTask.id}/effective-date`, { caseworkerId: 'sa.koch', effectiveDate });
    expect(confirmed).toMatchObject({ status: 200, body: { sgb2Start } });
    expect((await call('social-services', 'GET', `/inbox/tasks/${confirmTask.id}`)).body).toMatchObject({
      state: 'completed',
      completedBy: { domain: 'social-services', caseworkerId: 'sa.koch' },
      resolution: { effectiveDate },
    });

    const decisionTask = await taskFor('job-centre', 'sgb-ii-decision', caseRef);
    expect((await call('job-centre', 'POST', `/inbox/tasks/${decisionTask.id}/claim`, { caseworkerId: 'jc.mueller' })).status).toBe(200);
    const award = { kind: 'award', from: sgb2Start, until: lastDayOfMonth(addDays(sgb2Start, 330)) };
    expect((await call('job-centre', 'POST', `/inbox/tasks/${decisionTask.id}/sgb-ii-decision`, { caseworkerId: 'jc.other', decision: award })).status).toBe(409);
    expect((await call('job-centre', 'POST', `/inbox/tasks/${decisionTask.id}/release`, { caseworkerId: 'jc.mueller' })).status).toBe(200);
    expect((await call('job-centre', 'POST', `/inbox/tasks/${decisionTask.id}/sgb-ii-decision`, { caseworkerId: 'jc.other', decision: award })).status).toBe(200);
    const open = (await call('job-centre', 'GET', '/inbox/tasks?kind=sgb-ii-decision')).body as { id: string }[];
    expect(open.map((task) => task.id)).not.toContain(decisionTask.id);
    await temporal.workflow.getHandle(`legal-domain-transfer:${caseRef}`).result();
  });
  it('pays an advance from the SGB II start when the decision is late, and records a reimbursement claim for days both paid', async () => {
    const caseRef = newCaseRef('SA');
    // Recognition became known late: the month it took effect is already over, and AsylbLG paid the next month too.
    const servedOn = addDays(TODAY, -35);
    const asylblgEnd = lastDayOfMonth(servedOn);
    const sgb2Start = addDays(asylblgEnd, 1);
    const paidThrough = lastDayOfMonth(sgb2Start);
    expect((await call('social-services', 'POST', '/legal-domain-transfers', report(caseRef, servedOn, paidThrough))).status).toBe(202);
    const confirmTask = await taskFor('social-services', 'effective-date-confirmation', caseRef);
    expect((await call('social-services', 'POST', `/inbox/tasks/${confirmTask.id}/effective-date`, { caseworkerId: 'sa.yilmaz', effectiveDate: servedOn })).status).toBe(200);

    const pending = await eventually(async () => {
      const { body } = await call('job-centre', 'GET', `/sgb2-applications/${caseRef}`);
      return body?.state === 'advance-paid' ? body : undefined;
    }, 30000, 'the advance');
    expect(pending).toMatchObject({ outcome: 'PENDING_DECISION', startsOn: sgb2Start, advance: { from: sgb2Start, legalBasis: '§ 42 SGB I' } });
    const stuck = await eventually(async () => {
      const found = await attributes(caseRef);
      return found.get(Stuck) === true ? found : undefined;
    });
    expect(stuck.get(WaitingOn)).toBe('job-centre');

    const decisionTask = await taskFor('job-centre', 'sgb-ii-decision', caseRef);
    const until = addDays(lastDayOfMonth(addDays(sgb2Start, 330)), 0);
    const decided = await call('job-centre', 'POST', `/inbox/tasks/${decisionTask.id}/sgb-ii-decision`, {
      caseworkerId: 'jc.mueller',
      decision: { kind: 'award', from: sgb2Start, until },
    });
    expect(decided.status).toBe(200);
    await temporal.workflow.getHandle(`legal-domain-transfer:${caseRef}`).result();

    const days = Number(paidThrough.slice(8, 10));
    const sgb2 = (await call('job-centre', 'GET', `/sgb2-applications/${caseRef}`)).body;
    expect(sgb2).toMatchObject({
      state: 'decided',
      outcome: 'SGB2_ACTIVE',
      advance: { from: sgb2Start },
      reimbursementClaim: { claimant: 'social-services', from: sgb2Start, to: paidThrough, days },
    });
    const asylblg = (await call('social-services', 'GET', `/legal-domain-transfers/${caseRef}`)).body;
    expect(asylblg).toMatchObject({ endsOn: asylblgEnd, reimbursement: { days: { from: sgb2Start, to: paidThrough }, dayCount: days, against: 'job-centre' } });
    const cleared = await attributes(caseRef);
    expect([cleared.get(Stuck), cleared.get(HandoffStage)]).toEqual([false, 'RECONCILED']);
    const claims = await db.query('SELECT 1 FROM job_centre.reimbursement_claim WHERE case_ref = $1', [caseRef]);
    expect(claims.rowCount).toBe(1);
    const log = (await call('job-centre', 'GET', `/transfer-log?caseRef=${caseRef}`)).body as { flowId: string; legalBasis: string }[];
    expect(log.find((e) => e.flowId === 'P3A-SA-JC-REIMBURSEMENT')?.legalBasis).toMatch(/§§ 105, 107, 111 SGB X/);
  });

  it('answers a bad report with problem+json naming each bad field, and starts nothing', async () => {
    const caseRef = newCaseRef('SA');
    const invalid = await call('social-services', 'POST', '/legal-domain-transfers', {
      caseRef,
      caseworkerId: 'sa.yilmaz',
      recognition: { kind: 'refugee-status', servedOn: 'yesterday' },
      asylblg: { since: '2025-03-01' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.contentType).toContain('application/problem+json');
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['asylblg.payments', 'recognition.servedOn']);
    expect((await db.query('SELECT 1 FROM social_services.asylblg_benefit WHERE case_ref = $1', [caseRef])).rowCount).toBe(0);
    expect((await call('job-centre', 'GET', `/sgb2-applications/${caseRef}`)).status).toBe(404);
  });
});
