import { type Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { type NativeConnection, Worker } from '@temporalio/worker';
import {
  EscalationLevel,
  HandoffStage,
  OwningDomain,
  Stuck,
  StuckReason,
  WaitingOn,
  addDays,
  dayOf,
  lastAwardDay,
  lastDayOfMonth,
  type AsylbLGBenefitFacts,
  type DeadlineChangeRequest,
  type EffectiveDateDecision,
  type HandoffRecordActivities,
  type JobCentreTransferActivities,
  type LegalDomainTransferInput,
  type Sgb2Decision,
  type SocialServicesTransferActivities,
} from '@handoffs/contracts';
import { eventually, newCaseRef, createWorkflowTestEnvironment, type WorkflowTestEnvironment } from '@handoffs/testing';
import { changeDeadline } from '@handoffs/workflows/messages';
import { confirmEffectiveDate, decideSgb2Application, legalDomainTransferState } from '@handoffs/workflows/messages';
import { legalDomainTransfer } from './workflow';

const TODAY = dayOf(Date.now());
/** Far enough ahead that the calendar deadline (the day before SGB II starts) never comes first by itself. */
const EFFECTIVE_DATE = addDays(TODAY, 40);
const ASYLBLG_END = lastDayOfMonth(EFFECTIVE_DATE);
const SGB2_START = addDays(ASYLBLG_END, 1);

/** The workflow on a real Temporal server, with both domains' activities replaced by recording fakes. */
describe('legal-domain transfer workflow (P3a)', () => {
  let environment: WorkflowTestEnvironment;
  let namespace: string;
  let client: Client;
  let workerConnection: NativeConnection;
  let workflowBundle: { code: string };

  beforeAll(async () => {
    environment = await createWorkflowTestEnvironment('legal-domain-transfer');
    ({ namespace, client, workerConnection, workflowBundle } = environment);
  });

  afterAll(() => environment?.close());

  function fakeDomains(asylblgPaidThrough: string = ASYLBLG_END) {
    const calls: { queue: string; activity: string; input: any }[] = [];
    const taskIds = new Map<string, string>();
    const facts: AsylbLGBenefitFacts = {
      since: '2025-03-01',
      payments: [
        { from: '2025-03-01', to: '2025-03-31' },
        { from: addDays(asylblgPaidThrough.slice(0, 8) + '01', 0), to: asylblgPaidThrough },
      ],
    };
    const records = (queue: string): HandoffRecordActivities => ({
      async openInboxTask(task) {
        taskIds.set(task.kind, task.taskId);
        calls.push({ queue, activity: 'openInboxTask', input: task });
        return { taskId: task.taskId };
      },
      async closeInboxTask(close) {
        calls.push({ queue, activity: 'closeInboxTask', input: close });
      },
      async recordTransfer(entry) {
        calls.push({ queue, activity: 'recordTransfer', input: entry });
      },
    });
    const record = (queue: string, activity: string) => async (input: unknown) => {
      calls.push({ queue, activity, input });
    };
    const socialServices: SocialServicesTransferActivities = {
      async openEffectiveDateTask(task) {
        taskIds.set(task.kind, task.taskId);
        calls.push({ queue: 'social-services', activity: 'openEffectiveDateTask', input: task });
        return { taskId: task.taskId };
      },
      async endAsylblg(termination) {
        calls.push({ queue: 'social-services', activity: 'endAsylblg', input: termination });
        return facts;
      },
      async settleAsylblgPayments(settle) {
        calls.push({ queue: 'social-services', activity: 'settleAsylblgPayments', input: settle });
        return facts;
      },
      assertReimbursementClaim: record('social-services', 'assertReimbursementClaim'),
    };
    const jobCentre: JobCentreTransferActivities = {
      receiveSgb2Application: record('job-centre', 'receiveSgb2Application'),
      paySgb2Advance: record('job-centre', 'paySgb2Advance'),
      recordSgb2Decision: record('job-centre', 'recordSgb2Decision'),
      receiveReimbursementClaim: record('job-centre', 'receiveReimbursementClaim'),
    };
    return {
      calls,
      taskIds,
      socialServices: { ...records('social-services'), ...socialServices },
      jobCentre: { ...records('job-centre'), ...jobCentre },
    };
  }

  async function withDomains<T>(domains: ReturnType<typeof fakeDomains>, body: () => Promise<T>): Promise<T> {
    const jobCentre = await Worker.create({
      connection: workerConnection,
      dataConverter: environment.dataConverter,
      namespace,
      taskQueue: 'job-centre',
      workflowBundle,
      activities: domains.jobCentre,
    });
    const socialServices = await Worker.create({
      connection: workerConnection,
      dataConverter: environment.dataConverter,
      namespace,
      taskQueue: 'social-services',
      activities: domains.socialServices,
    });
    return jobCentre.runUntil(socialServices.runUntil(body()));
  }

  type Slas = { confirm?: Duration; decide?: Duration; servedOn?: string };

  function input(caseRef: string, slas: Slas = {}): LegalDomainTransferInput {
    return {
      caseRef,
      reportedBy: { domain: 'social-services', caseworkerId: 'sa.yilmaz' },
      reportedAt: new Date().toISOString(),
      recognition: { kind: 'refugee-status', servedOn: slas.servedOn ?? TODAY },
      confirmWithin: slas.confirm ?? '1 hour',
      decideWithin: slas.decide ?? '1 hour',
    };
  }

  async function start(caseRef: string, slas?: Slas) {
    return client.workflow.start(legalDomainTransfer, {
      workflowId: `legal-domain-transfer:${caseRef}`,
      taskQueue: 'job-centre',
      args: [input(caseRef, slas)],
    });
  }

  async function attributes(handle: WorkflowHandle) {
    return (await handle.describe()).typedSearchAttributes;
  }

  async function atStage(handle: WorkflowHandle<typeof legalDomainTransfer>, stage: string) {
    return eventually(async () => {
      const state = await handle.query(legalDomainTransferState);
      return state.stage === stage && state.waitingOn !== null ? state : undefined;
    }, 20000, `stage ${stage}`);
  }

  function confirmation(domains: ReturnType<typeof fakeDomains>, overrides: Partial<EffectiveDateDecision> = {}): EffectiveDateDecision {
    return {
      taskId: domains.taskIds.get('effective-date-confirmation') ?? 'none',
      decidedBy: { domain: 'social-services', caseworkerId: 'sa.yilmaz' },
      effectiveDate: EFFECTIVE_DATE,
      ...overrides,
    };
  }

  function award(domains: ReturnType<typeof fakeDomains>, overrides: Partial<Sgb2Decision> = {}): Sgb2Decision {
    return {
      taskId: domains.taskIds.get('sgb-ii-decision') ?? 'none',
      decidedBy: { domain: 'job-centre', caseworkerId: 'jc.mueller' },
      decision: { kind: 'award', from: SGB2_START, until: lastAwardDay(SGB2_START, 12) },
      ...overrides,
    };
  }

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: unknown) => (error instanceof WorkflowUpdateFailedError ? (error.cause as { type?: string }).type : `other: ${String(error)}`),
    );

  it('confirms the date, ends AsylbLG at month end and starts SGB II the next day, owned by the job centre', async () => {
    const domains = fakeDomains();
    const caseRef = newCaseRef('SA');
    await withDomains(domains, async () => {
      const handle = await start(caseRef);
      await atStage(handle, 'TRIGGERED');
      await eventually(async () => domains.taskIds.get('effective-date-confirmation'));
      const waiting = await attributes(handle);
      expect([waiting.get(OwningDomain), waiting.get(WaitingOn), waiting.get(HandoffStage), waiting.get(Stuck)]).toEqual([
        'job-centre',
        'social-services',
        'TRIGGERED',
        false,
      ]);
      const confirmed = await handle.executeUpdate(confirmEffectiveDate, { args: [confirmation(domains)] });
      expect(confirmed).toMatchObject({ asylblgEnd: ASYLBLG_END, sgb2Start: SGB2_START, ruleSetVersion: 'P3a-2024-01' });

      await atStage(handle, 'TARGET_APPLICATION');
      expect((await attributes(handle)).get(WaitingOn)).toBe('job-centre');
      const decided = await handle.executeUpdate(decideSgb2Application, { args: [award(domains)] });
      expect(decided).toMatchObject({ outcome: 'SGB2_ACTIVE', ruleSetVersion: 'P3a-2024-01' });

      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'SGB2_ACTIVE', advanceFrom: null, reimbursement: null });
      expect(result.periods).toEqual([
        { regime: 'AsylbLG', basis: 'award', from: '2025-03-01', to: ASYLBLG_END },
        { regime: 'SGB II', basis: 'award', from: SGB2_START, to: lastAwardDay(SGB2_START, 12) },
      ]);
      const closed = await attributes(handle);
      expect(closed.get(HandoffStage)).toBe('RECONCILED');
      expect(closed.get(WaitingOn)).toBeUndefined();
    });
    expect(domains.calls.map((c) => `${c.queue}:${c.activity}`)).toEqual([
      'social-services:openEffectiveDateTask',
      'social-services:endAsylblg',
      'social-services:closeInboxTask',
      'social-services:recordTransfer',
      'job-centre:receiveSgb2Application',
      'job-centre:openInboxTask',
      'job-centre:recordSgb2Decision',
      'job-centre:closeInboxTask',
      'social-services:settleAsylblgPayments',
    ]);
    const ended = domains.calls[1].input;
    expect(ended).toMatchObject({ asylblgEnd: ASYLBLG_END, decidedBy: { domain: 'social-services', caseworkerId: 'sa.yilmaz' }, ruleSetVersion: 'P3a-2024-01' });
    const handover = domains.calls[3].input;
    expect(handover).toMatchObject({ direction: 'sent', counterpart: 'job-centre', flowId: 'P3A-SA-JC-APPLICATION' });
    expect(handover.fieldNames).toEqual(['asylblgEnd', 'filedOn', 'lastPaymentPeriod.from', 'lastPaymentPeriod.to', 'sgb2Start']);
  });

  it('pays an advance from the SGB II start when the job centre decides late, so there is no gap, and marks it stuck until decided', async () => {
    const domains = fakeDomains();
    const caseRef = newCaseRef('SA');
    await withDomains(domains, async () => {
      const handle = await start(caseRef, { decide: '2 seconds' });
      await atStage(handle, 'TRIGGERED');
      await eventually(async () => domains.taskIds.get('effective-date-confirmation'));
      await handle.executeUpdate(confirmEffectiveDate, { args: [confirmation(domains)] });
      const pending = await eventually(async () => {
        const state = await handle.query(legalDomainTransferState);
        return state.outcome === 'PENDING_DECISION' && state.stuck ? state : undefined;
      });
      expect(pending).toMatchObject({ advanceFrom: SGB2_START, stage: 'TARGET_APPLICATION', waitingOn: 'job-centre' });
      // The query can answer before the server has applied the same task's search attributes.
      const stuck = await eventually(async () => {
        const found = await attributes(handle);
        return found.get(StuckReason) ? found : undefined;
      });
      expect(stuck.get(StuckReason)).toBe('deadline-passed');
      expect(stuck.get(EscalationLevel)).toBeGreaterThanOrEqual(1);

      await handle.executeUpdate(decideSgb2Application, { args: [award(domains)] });
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'SGB2_ACTIVE', advanceFrom: SGB2_START });
      const cleared = await attributes(handle);
      expect([cleared.get(Stuck), cleared.get(StuckReason), cleared.get(HandoffStage)]).toEqual([false, undefined, 'RECONCILED']);
    });
    const advances = domains.calls.filter((c) => c.activity === 'paySgb2Advance');
    expect(advances).toHaveLength(1);
    expect(advances[0].input).toMatchObject({ from: SGB2_START, caseRef });
  });

  it('records a reimbursement claim between the carriers when AsylbLG was already paid for SGB II days', async () => {
    const paidThrough = lastDayOfMonth(SGB2_START);
    const domains = fakeDomains(paidThrough);
    const caseRef = newCaseRef('SA');
    await withDomains(domains, async () => {
      const handle = await start(caseRef);
      await atStage(handle, 'TRIGGERED');
      await eventually(async () => domains.taskIds.get('effective-date-confirmation'));
      await handle.executeUpdate(confirmEffectiveDate, { args: [confirmation(domains)] });
      await atStage(handle, 'TARGET_APPLICATION');
      await handle.executeUpdate(decideSgb2Application, { args: [award(domains)] });
      expect((await handle.result()).reimbursement).toEqual({ from: SGB2_START, to: paidThrough });
    });
    const asserted = domains.calls.find((c) => c.activity === 'assertReimbursementClaim')!.input;
    const receivedClaim = domains.calls.find((c) => c.activity === 'receiveReimbursementClaim')!.input;
    expect(asserted.days).toEqual({ from: SGB2_START, to: paidThrough });
    expect(asserted.sentTransfer).toMatchObject({ flowId: 'P3A-SA-JC-REIMBURSEMENT', direction: 'sent', legalBasis: '§§ 105, 107, 111 SGB X; § 9 Abs. 4 AsylbLG' });
    expect(receivedClaim.receivedTransfer).toMatchObject({ direction: 'received', counterpart: 'social-services' });
    expect(receivedClaim.assertBy > paidThrough).toBe(true);
  });

  it('refuses decisions from the wrong domain, for the wrong step, invalid or repeated, and changes nothing', async () => {
    const domains = fakeDomains();
    const caseRef = newCaseRef('SA');
    await withDomains(domains, async () => {
      const handle = await start(caseRef);
      await atStage(handle, 'TRIGGERED');
      await eventually(async () => domains.taskIds.get('effective-date-confirmation'));
      const jobCentreActor = { domain: 'job-centre' as const, caseworkerId: 'jc.mueller' };
      expect(await refusal(handle.executeUpdate(confirmEffectiveDate, { args: [confirmation(domains, { decidedBy: jobCentreActor })] }))).toBe('WrongDomain');
      expect(await refusal(handle.executeUpdate(confirmEffectiveDate, { args: [confirmation(domains, { effectiveDate: addDays(TODAY, -1) })] }))).toBe('InvalidDecision');
      expect(await refusal(handle.executeUpdate(confirmEffectiveDate, { args: [confirmation(domains, { effectiveDate: '2026-13-45' })] }))).toBe('InvalidDecision');
      expect(await refusal(handle.executeUpdate(decideSgb2Application, { args: [award(domains)] }))).toBe('NotAwaitingDecision');
      expect((await handle.query(legalDomainTransferState)).effectiveDate).toBeNull();

      // Two caseworkers at once: exactly one wins.
      const both = await Promise.all([
        refusal(handle.executeUpdate(confirmEffectiveDate, { args: [confirmation(domains)] })),
        refusal(handle.executeUpdate(confirmEffectiveDate, { args: [confirmation(domains, { decidedBy: { domain: 'social-services', caseworkerId: 'sa.other' } })] })),
      ]);
      expect(both.sort()).toEqual(['AlreadyDecided', 'accepted']);

      await atStage(handle, 'TARGET_APPLICATION');
      const socialActor = { domain: 'social-services' as const, caseworkerId: 'sa.yilmaz' };
      expect(await refusal(handle.executeUpdate(decideSgb2Application, { args: [award(domains, { decidedBy: socialActor })] }))).toBe('WrongDomain');
      const lateStart = { kind: 'award' as const, from: addDays(SGB2_START, 1), until: lastAwardDay(SGB2_START, 6) };
      expect(await refusal(handle.executeUpdate(decideSgb2Application, { args: [award(domains, { decision: lateStart })] }))).toBe('InvalidDecision');
      expect(await refusal(handle.executeUpdate(decideSgb2Application, { args: [award(domains, { decision: { kind: 'no-need', reason: '' } })] }))).toBe('InvalidDecision');
      expect((await handle.query(legalDomainTransferState)).sgb2Decision).toBeNull();

      const noNeed = award(domains, { decision: { kind: 'no-need', reason: 'income from employment covers the need' } });
      expect(await refusal(handle.executeUpdate(decideSgb2Application, { args: [noNeed] }))).toBe('accepted');
      expect(await refusal(handle.executeUpdate(decideSgb2Application, { args: [award(domains)] }))).toBe('AlreadyDecided');
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'NO_NEED', reimbursement: null });
      expect(result.periods).toHaveLength(1);
    });
    expect(domains.calls.filter((c) => c.activity === 'endAsylblg')).toHaveLength(1);
    expect(domains.calls.filter((c) => c.activity === 'recordSgb2Decision')).toHaveLength(1);
  });

  it('marks the handoff stuck and escalates when social services misses its deadline, and clears it once confirmed', async () => {
    const domains = fakeDomains();
    const caseRef = newCaseRef('SA');
    await withDomains(domains, async () => {
      const handle = await start(caseRef, { confirm: '2 seconds' });
      const stuck = await eventually(async () => {
        const found = await attributes(handle);
        return found.get(Stuck) === true ? found : undefined;
      });
      expect([stuck.get(StuckReason), stuck.get(WaitingOn), stuck.get(HandoffStage)]).toEqual(['deadline-passed', 'social-services', 'TRIGGERED']);
      expect(stuck.get(EscalationLevel)).toBeGreaterThanOrEqual(1);
      expect(domains.calls.filter((c) => c.activity === 'endAsylblg')).toHaveLength(0);

      await handle.executeUpdate(confirmEffectiveDate, { args: [confirmation(domains)] });
      await atStage(handle, 'TARGET_APPLICATION');
      const moved = await attributes(handle);
      expect([moved.get(Stuck), moved.get(StuckReason), moved.get(WaitingOn)]).toEqual([false, undefined, 'job-centre']);
      await handle.executeUpdate(decideSgb2Application, { args: [award(domains)] });
      await handle.result();
    });
  });

  it('opens an escalation task in the waiting domain\'s inbox at each missed deadline and closes it when the step completes', async () => {
    const domains = fakeDomains();
    const caseRef = newCaseRef('SA');
    const opened = (queue: string, kind: string) => domains.calls.find((c) => c.queue === queue && c.activity === 'openInboxTask' && c.input.kind === kind);
    const closed = (queue: string, kind: string) => domains.calls.find((c) => c.queue === queue && c.activity === 'closeInboxTask' && c.input.kind === kind);
    await withDomains(domains, async () => {
      const handle = await start(caseRef, { confirm: '2 seconds', decide: '2 seconds' });
      const confirmEscalation = await eventually(async () => opened('social-services', 'effective-date-confirmation-escalation-1')?.input);
      expect(confirmEscalation).toMatchObject({
        caseRef,
        process: 'legal-domain-transfer',
        details: { level: 1, effectiveDateTaskId: domains.taskIds.get('effective-date-confirmation') },
      });
      expect(Date.parse(confirmEscalation.dueAt)).toBeGreaterThan(Date.now() - 2000);
      expect(closed('social-services', 'effective-date-confirmation-escalation-1')).toBeUndefined();

      await handle.executeUpdate(confirmEffectiveDate, { args: [confirmation(domains)] });
      await atStage(handle, 'TARGET_APPLICATION');
      expect(closed('social-services', 'effective-date-confirmation-escalation-1')?.input).toMatchObject({
        state: 'completed',
        completedBy: { domain: 'social-services', caseworkerId: 'sa.yilmaz' },
      });

      const decisionEscalation = await eventually(async () => opened('job-centre', 'sgb-ii-decision-escalation-1')?.input);
      expect(decisionEscalation).toMatchObject({ caseRef, details: { level: 1, decisionTaskId: domains.taskIds.get('sgb-ii-decision'), sgb2Start: SGB2_START } });
      expect(closed('job-centre', 'sgb-ii-decision-escalation-1')).toBeUndefined();
      await handle.executeUpdate(decideSgb2Application, { args: [award(domains)] });
      await handle.result();
    });
    expect(opened('social-services', 'sgb-ii-decision-escalation-1')).toBeUndefined();
    expect(opened('job-centre', 'effective-date-confirmation-escalation-1')).toBeUndefined();
    expect(closed('job-centre', 'sgb-ii-decision-escalation-1')?.input).toMatchObject({
      state: 'completed',
      completedBy: { domain: 'job-centre', caseworkerId: 'jc.mueller' },
    });
    // Every escalation task that was opened was closed with its step.
    const kinds = (activity: string) =>
      [...new Set(domains.calls.filter((c) => c.activity === activity && String(c.input.kind).includes('-escalation-')).map((c) => `${c.queue}:${c.input.kind}`))].sort();
    expect(kinds('closeInboxTask')).toEqual(kinds('openInboxTask'));
  });

  it('lets only the domain a step waits on extend, suspend and resume its deadline, with a reason', async () => {
    const domains = fakeDomains();
    const caseRef = newCaseRef('SA');
    const socialActor = { domain: 'social-services' as const, caseworkerId: 'sa.yilmaz' };
    const jobCentreActor = { domain: 'job-centre' as const, caseworkerId: 'jc.mueller' };
    await withDomains(domains, async () => {
      const handle = await start(caseRef);
      const change = (request: DeadlineChangeRequest) => handle.executeUpdate(changeDeadline, { args: [request] });
      const first = await atStage(handle, 'TRIGGERED');
      await eventually(async () => domains.taskIds.get('effective-date-confirmation'));

      expect(await refusal(change({ action: 'extend', by: jobCentreActor, reason: 'We need it later', extendBy: '1 day' }))).toBe('WrongDomain');
      expect(await refusal(change({ action: 'extend', by: socialActor, reason: '', extendBy: '1 day' }))).toBe('InvalidDeadlineChange');
      const extended = await change({ action: 'extend', by: socialActor, reason: 'Waiting for the BAMF file', extendBy: '1 day' });
      expect(Date.parse(extended.dueAt!) - Date.parse(first.dueAt!)).toBe(24 * 60 * 60 * 1000);
      expect(extended.changes).toEqual([expect.objectContaining({ action: 'extend', reason: 'Waiting for the BAMF file', by: socialActor })]);
      expect((await handle.query(legalDomainTransferState)).dueAt).toBe(extended.dueAt);

      const suspended = await change({ action: 'suspend', by: socialActor, reason: 'Person unreachable, hospitalised' });
      expect(suspended).toMatchObject({ dueAt: null, suspended: true });
      expect((await handle.query(legalDomainTransferState)).dueAt).toBeNull();
      expect(await refusal(change({ action: 'extend', by: socialActor, reason: 'More time', extendBy: '1 day' }))).toBe('InvalidDeadlineChange');
      const resumed = await change({ action: 'resume', by: socialActor, reason: 'Person back' });
      expect(resumed.suspended).toBe(false);
      expect(resumed.changes.map((c) => c.action)).toEqual(['extend', 'suspend', 'resume']);

      await handle.executeUpdate(confirmEffectiveDate, { args: [confirmation(domains)] });
      await atStage(handle, 'TARGET_APPLICATION');
      expect(await refusal(change({ action: 'extend', by: socialActor, reason: 'More time', extendBy: '1 day' }))).toBe('WrongDomain');
      const decisionExtended = await change({ action: 'extend', by: jobCentreActor, reason: 'Income documents missing', extendBy: '2 hours' });
      expect(decisionExtended.changes).toHaveLength(1);
      expect((await handle.query(legalDomainTransferState)).dueAt).toBe(decisionExtended.dueAt);

      await handle.executeUpdate(decideSgb2Application, { args: [award(domains)] });
      await handle.result();
      expect(await refusal(change({ action: 'extend', by: jobCentreActor, reason: 'Too late', extendBy: '1 day' }))).not.toBe('accepted');
    });
    expect(domains.calls.filter((c) => c.activity === 'paySgb2Advance')).toHaveLength(0);
    expect(domains.calls.filter((c) => String(c.input?.kind).includes('-escalation-'))).toHaveLength(0);
  });

  it('pays the advance on the law\'s date however the job centre moves its deadline', async () => {
    const domains = fakeDomains();
    const caseRef = newCaseRef('SA');
    // Recognition became known late: the day before SGB II starts has already passed.
    const servedOn = addDays(TODAY, -35);
    const sgb2Start = addDays(lastDayOfMonth(servedOn), 1);
    await withDomains(domains, async () => {
      const handle = await start(caseRef, { servedOn, decide: '1 day' });
      await atStage(handle, 'TRIGGERED');
      await eventually(async () => domains.taskIds.get('effective-date-confirmation'));
      await handle.executeUpdate(confirmEffectiveDate, { args: [confirmation(domains, { effectiveDate: servedOn })] });
      const pending = await eventually(async () => {
        const state = await handle.query(legalDomainTransferState);
        return state.advanceFrom ? state : undefined;
      });
      expect(pending).toMatchObject({ advanceFrom: sgb2Start, outcome: 'PENDING_DECISION', waitingOn: 'job-centre', stuck: true });
      const extended = await handle.executeUpdate(changeDeadline, {
        args: [{ action: 'extend', by: { domain: 'job-centre', caseworkerId: 'jc.mueller' }, reason: 'Income documents missing', extendBy: '3 days' }],
      });
      expect(extended.suspended).toBe(false);
      const decision = { kind: 'award' as const, from: sgb2Start, until: lastAwardDay(sgb2Start, 12) };
      await handle.executeUpdate(decideSgb2Application, { args: [award(domains, { decision })] });
      expect(await handle.result()).toMatchObject({ outcome: 'SGB2_ACTIVE', advanceFrom: sgb2Start });
    });
    expect(domains.calls.filter((c) => c.activity === 'paySgb2Advance')).toHaveLength(1);
  });
});
