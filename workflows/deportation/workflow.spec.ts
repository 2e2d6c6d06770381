import { type Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { type NativeConnection, Worker } from '@temporalio/worker';
import {
  DueAt,
  EscalationLevel,
  HandoffStage,
  OwningDomain,
  Stuck,
  StuckReason,
  WaitingOn,
  type Actor,
  type CancellationReason,
  type DeadlineChangeRequest,
  type DeportationInput,
  type HandoffRecordActivities,
  type OpenInboxTask,
  type SocialServicesDeportationActivities,
} from '@handoffs/contracts';
import { eventually, newCaseRef, createWorkflowTestEnvironment, type WorkflowTestEnvironment } from '@handoffs/testing';
import {
  cancelDeportation,
  completeParticipation,
  decideOnConcern,
  deportationState,
  recordExecution,
  reportSeparation,
  scheduleDeportation,
} from '@handoffs/workflows/messages';
import { changeDeadline } from '@handoffs/workflows/messages';
import { deportation } from './workflow';

const ABH: Actor = { domain: 'immigration', caseworkerId: 'abh.vollzug' };
const KSD: Actor = { domain: 'social-services', caseworkerId: 'ksd.becker' };
const JOB_CENTRE: Actor = { domain: 'job-centre', caseworkerId: 'jc.mueller' };
const DAY_MS = 86_400_000;

/** Tomorrow (or later) at 10:00 Berlin time in winter (09:00 UTC): a day operation. */
function dayOperation(daysAhead = 2): string {
  const day = new Date(Date.now() + daysAhead * DAY_MS).toISOString().slice(0, 10);
  return `${day}T09:00:00.000Z`;
}
/** 23:30 Berlin time in winter. */
function nightOperation(daysAhead = 2): string {
  const day = new Date(Date.now() + daysAhead * DAY_MS).toISOString().slice(0, 10);
  return `${day}T22:30:00.000Z`;
}

/** The deportation workflow on a real Temporal server, with the domains' activities replaced by recording fakes. */
describe('deportation workflow', () => {
  let environment: WorkflowTestEnvironment;
  let namespace: string;
  let client: Client;
  let workerConnection: NativeConnection;
  let workflowBundle: { code: string };

  beforeAll(async () => {
    environment = await createWorkflowTestEnvironment('deportation');
    ({ namespace, client, workerConnection, workflowBundle } = environment);
  });

  afterAll(() => environment?.close());

  function fakeDomains() {
    const calls: { queue: string; activity: string; input: any }[] = [];
    const tasks: (OpenInboxTask & { queue: string })[] = [];
    const records = (queue: string): HandoffRecordActivities => ({
      async openInboxTask(task) {
        tasks.push({ ...task, queue });
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
    const recording = (activity: string) => async (input: unknown) => {
      calls.push({ queue: 'social-services', activity, input });
    };
    const socialServices: SocialServicesDeportationActivities = {
      recordParticipation: recording('recordParticipation'),
      shareSchedule: recording('shareSchedule'),
      releaseAssignment: recording('releaseAssignment'),
      planBenefitEnd: recording('planBenefitEnd'),
      endBenefitsOnDeparture: recording('endBenefitsOnDeparture'),
      restoreBenefits: recording('restoreBenefits'),
    };
    const taskOf = (kind: string) => tasks.find((t) => t.kind === kind);
    const steps = () => calls.map((c) => `${c.queue}:${c.activity}${c.activity.includes('InboxTask') ? `:${c.input.kind}:${c.input.state ?? 'open'}` : ''}`);
    return {
      calls,
      tasks,
      taskOf,
      steps,
      immigration: records('immigration'),
      socialServices: { ...records('social-services'), ...socialServices },
    };
  }

  let domains: ReturnType<typeof fakeDomains>;

  async function withDomains<T>(body: () => Promise<T>): Promise<T> {
    domains = fakeDomains();
    const immigration = await Worker.create({
      connection: workerConnection,
      dataConverter: environment.dataConverter,
      namespace,
      taskQueue: 'immigration',
      workflowBundle,
      activities: domains.immigration,
    });
    const socialServices = await Worker.create({
      connection: workerConnection,
      dataConverter: environment.dataConverter,
      namespace,
      taskQueue: 'social-services',
      activities: domains.socialServices,
    });
    return immigration.runUntil(socialServices.runUntil(body()));
  }

  function input(caseRef: string, overrides: Partial<DeportationInput> = {}): DeportationInput {
    return {
      caseRef,
      requestedBy: ABH,
      requestedAt: new Date().toISOString(),
      family: { childrenAges: [4, 9, 15], vulnerabilities: ['school-age-children'] },
      plannedDate: new Date(Date.now() + 10 * DAY_MS).toISOString().slice(0, 10),
      participationWithin: '1 hour',
      ...overrides,
    };
  }

  async function start(caseRef: string, overrides: Partial<DeportationInput> = {}): Promise<WorkflowHandle<typeof deportation>> {
    return client.workflow.start(deportation, {
      workflowId: `deportation:${caseRef}`,
      taskQueue: 'immigration',
      args: [input(caseRef, overrides)],
    });
  }

  /** Waits until the workflow has finished the side effects of entering a stage and published it. */
  async function published(handle: WorkflowHandle, wanted: string) {
    return eventually(async () => {
      const attributes = (await handle.describe()).typedSearchAttributes;
      return attributes.get(HandoffStage) === wanted ? attributes : undefined;
    }, 20000, `published stage ${wanted}`);
  }

  /** The decision task once the immigration office's inbox has it (the stage is published before the task is written). */
  async function decisionTaskOpened() {
    return eventually(async () => domains.taskOf('deportation-decision'), 20000, 'the decision task');
  }

  async function participationTask(handle: WorkflowHandle, round = 1) {
    return eventually(async () => {
      const state = await handle.query(deportationState);
      return state.participationRound === round && state.participationTaskId && domains.tasks.some((t) => t.taskId === state.participationTaskId)
        ? state.participationTaskId
        : undefined;
    });
  }

  function refusal(promise: Promise<unknown>): Promise<string | undefined> {
    return promise.then(
      () => 'accepted',
      (error: unknown) => (error instanceof WorkflowUpdateFailedError ? (error.cause as { type?: string }).type : `other: ${String(error)}`),
    );
  }

  /** Participation with no concern, then a date: the state every later step starts from. */
  async function scheduled(handle: WorkflowHandle<typeof deportation>, plannedAt = dayOperation()) {
    const taskId = await participationTask(handle);
    await handle.executeUpdate(completeParticipation, { args: [{ taskId, actor: KSD, finding: 'no-concern' }] });
    await eventually(async () => refusalOrUndefined(handle.executeUpdate(scheduleDeportation, { args: [{ actor: ABH, plannedAt }] })));
    await published(handle, 'SCHEDULED');
  }

  async function refusalOrUndefined(promise: Promise<unknown>): Promise<true | undefined> {
    const result = await refusal(promise);
    if (result === 'accepted') return true;
    if (result === 'NotAwaitingDecision') return undefined;
    throw new Error(`schedule refused: ${result}`);
  }

  it('asks the KSD, takes its participation, schedules on a person\'s decision and ends benefits on the day of departure', async () => {
    const caseRef = newCaseRef('ABH');
    await withDomains(async () => {
      const handle = await start(caseRef);
      const taskId = await participationTask(handle);
      const waiting = await published(handle, 'PREPARATION');
      expect([waiting.get(OwningDomain), waiting.get(WaitingOn), waiting.get(Stuck)]).toEqual(['immigration', 'social-services', false]);
      expect(waiting.get(DueAt)).toBeInstanceOf(Date);
      const task = domains.taskOf('child-welfare-participation')!;
      expect(task).toMatchObject({ queue: 'social-services', taskId, process: 'deportation', details: { family: { childrenAges: [4, 9, 15] } } });
      expect(Date.parse(task.dueAt)).toBeLessThanOrEqual(Date.parse(`${input(caseRef).plannedDate}T00:00:00Z`));

      // Nothing goes ahead by code alone: the workflow waits on the immigration office after the participation.
      await handle.executeUpdate(completeParticipation, { args: [{ taskId, actor: KSD, finding: 'no-concern' }] });
      const ready = await published(handle, 'PARTICIPATED');
      expect(ready.get(WaitingOn)).toBe('immigration');
      expect((await handle.query(deportationState)).stage).toBe('PARTICIPATED');

      const plannedAt = dayOperation(3);
      await handle.executeUpdate(scheduleDeportation, { args: [{ actor: ABH, plannedAt }] });
      const scheduledAttributes = await published(handle, 'SCHEDULED');
      expect(scheduledAttributes.get(DueAt)).toBeUndefined();
      const description = await handle.describe();
      expect(JSON.stringify(description.typedSearchAttributes)).not.toContain(plannedAt.slice(0, 10));

      const departedAt = new Date(Date.now() - 60_000).toISOString();
      await handle.executeUpdate(recordExecution, { args: [{ actor: ABH, departedAt, departure: 'deported' }] });
      const result = await handle.result();
      expect(result).toMatchObject({ caseRef, outcome: 'DEPORTED', stage: 'EXECUTED', separations: 0 });
      expect((await handle.describe()).typedSearchAttributes.get(WaitingOn)).toBeUndefined();
    });

    expect(domains.steps()).toEqual([
      'immigration:recordTransfer',
      'social-services:openInboxTask:child-welfare-participation:open',
      'social-services:closeInboxTask:child-welfare-participation:completed',
      'social-services:recordTransfer',
      'immigration:recordTransfer',
      'social-services:recordParticipation',
      'immigration:recordTransfer',
      'social-services:shareSchedule',
      'immigration:recordTransfer',
      'social-services:planBenefitEnd',
      'social-services:endBenefitsOnDeparture',
    ]);
    const byActivity = (activity: string) => domains.calls.find((c) => c.activity === activity)!.input;
    expect(byActivity('recordParticipation')).toMatchObject({ socialWorker: KSD, finding: 'no-concern' });
    const share = byActivity('shareSchedule');
    expect(Date.parse(share.visibleUntil) - Date.parse(share.plannedAt)).toBe(DAY_MS);
    const ended = byActivity('endBenefitsOnDeparture');
    expect(ended.endsOn).toBe(new Date(Date.now() - 60_000).toLocaleDateString('en-CA', { timeZone: 'Europe/Berlin' }));
    expect(domains.calls[0].input).toMatchObject({ direction: 'sent', flowId: 'P2-ABH-KSD-PARTICIPATION', fieldNames: ['family.childrenAges', 'family.vulnerabilities'] });
  });

  it('halts on a concern until the immigration office decides: proceed continues, but only on that decision', async () => {
    const caseRef = newCaseRef('ABH');
    await withDomains(async () => {
      const handle = await start(caseRef);
      const taskId = await participationTask(handle);
      expect(await refusal(handle.executeUpdate(completeParticipation, { args: [{ taskId, actor: KSD, finding: 'concern' }] }))).toBe('InvalidDecision');
      await handle.executeUpdate(completeParticipation, { args: [{ taskId, actor: KSD, finding: 'concern', concernReason: 'child-welfare-risk' }] });
      const halted = await published(handle, 'HALTED');
      expect(halted.get(WaitingOn)).toBe('immigration');
      expect(await refusal(handle.executeUpdate(scheduleDeportation, { args: [{ actor: ABH, plannedAt: dayOperation() }] }))).toBe('NotAwaitingDecision');

      const decisionTask = await decisionTaskOpened();
      expect(decisionTask).toMatchObject({ queue: 'immigration', details: { concernReason: 'child-welfare-risk' } });
      // Need-to-know: neither the task (any immigration caseworker's inbox) nor DueAt (any Web UI user) reveals the planned day.
      const plannedDay = Date.parse(`${input(caseRef).plannedDate}T00:00:00Z`);
      expect(decisionTask.details).not.toHaveProperty('plannedDate');
      expect(Date.parse(decisionTask.dueAt)).not.toBe(plannedDay);
      expect(halted.get(DueAt)?.getTime()).not.toBe(plannedDay);
      expect(JSON.stringify(decisionTask)).not.toContain(input(caseRef).plannedDate);
      const decide = (decision: object) => refusal(handle.executeUpdate(decideOnConcern, { args: [{ taskId: decisionTask.taskId, actor: ABH, ...decision } as any] }));
      expect(await decide({ actor: KSD, decision: 'proceed' })).toBe('WrongDomain');
      expect(await decide({ decision: 'postpone' })).toBe('InvalidDecision');
      expect(await decide({ decision: 'cancel' })).toBe('InvalidDecision');
      expect(await decide({ decision: 'proceed', taskId: 'another-task' })).toBe('NotAwaitingDecision');
      expect((await handle.query(deportationState)).stage).toBe('HALTED');
      expect(await decide({ decision: 'proceed' })).toBe('accepted');
      await published(handle, 'PARTICIPATED');
      await handle.executeUpdate(scheduleDeportation, { args: [{ actor: ABH, plannedAt: dayOperation() }] });
      await published(handle, 'SCHEDULED');
      await handle.executeUpdate(recordExecution, { args: [{ actor: ABH, departedAt: new Date().toISOString(), departure: 'voluntary' }] });
      expect((await handle.result()).outcome).toBe('DEPARTED_VOLUNTARILY');
    });
    expect(domains.steps()).toContain('immigration:closeInboxTask:deportation-decision:completed');
  });

  it('postpones on a concern: a new planned day and a new participation round before anything goes ahead', async () => {
    const caseRef = newCaseRef('ABH');
    await withDomains(async () => {
      const handle = await start(caseRef);
      const first = await participationTask(handle);
      await handle.executeUpdate(completeParticipation, { args: [{ taskId: first, actor: KSD, finding: 'concern', concernReason: 'medical-needs' }] });
      await published(handle, 'HALTED');
      const decisionTask = await decisionTaskOpened();
      const later = new Date(Date.now() + 30 * DAY_MS).toISOString().slice(0, 10);
      const sameDay = input(caseRef).plannedDate;
      expect(await refusal(handle.executeUpdate(decideOnConcern, { args: [{ taskId: decisionTask.taskId, actor: ABH, decision: 'postpone', plannedDate: sameDay }] }))).toBe('InvalidDecision');
      await handle.executeUpdate(decideOnConcern, { args: [{ taskId: decisionTask.taskId, actor: ABH, decision: 'postpone', plannedDate: later }] });
      const second = await participationTask(handle, 2);
      expect(second).not.toBe(first);
      expect(domains.taskOf('child-welfare-participation-b')).toMatchObject({ taskId: second });
      expect(await refusal(handle.executeUpdate(completeParticipation, { args: [{ taskId: first, actor: KSD, finding: 'no-concern' }] }))).toBe('NotAwaitingDecision');
      await handle.executeUpdate(completeParticipation, { args: [{ taskId: second, actor: KSD, finding: 'no-concern' }] });
      await published(handle, 'PARTICIPATED');
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'toleration-granted' }] });
      expect((await handle.result()).outcome).toBe('SUSPENDED');
    });
  });

  it('cancels on a concern and unwinds: open tasks closed, assignment released', async () => {
    const caseRef = newCaseRef('ABH');
    await withDomains(async () => {
      const handle = await start(caseRef);
      const taskId = await participationTask(handle);
      await handle.executeUpdate(completeParticipation, { args: [{ taskId, actor: KSD, finding: 'concern', concernReason: 'care-arrangement-missing' }] });
      await published(handle, 'HALTED');
      const decisionTask = await decisionTaskOpened();
      await handle.executeUpdate(decideOnConcern, { args: [{ taskId: decisionTask.taskId, actor: ABH, decision: 'cancel', cancellationReason: 'child-welfare' }] });
      const result = await handle.result();
      expect(result).toMatchObject({ outcome: 'SUSPENDED', cancellationReason: 'child-welfare' });
      const state = await handle.query(deportationState);
      expect(state.unwound).toEqual([
        'withdraw the deportation-decision task',
        "release the social worker's assignment",
        'withdraw the child-welfare-participation task',
      ]);
    });
    expect(domains.steps().filter((s) => s.includes('restoreBenefits') || s.includes('endBenefits'))).toEqual([]);
  });

  it('opens a child-protection task at once for every separation, and the case ends PARTIAL', async () => {
    const caseRef = newCaseRef('ABH');
    await withDomains(async () => {
      const handle = await start(caseRef);
      await scheduled(handle);
      const first = await handle.executeUpdate(reportSeparation, { args: [{ actor: ABH, childAge: 9, circumstance: 'hospitalised' }] });
      // The task exists when the Update returns: no waiting on the workflow's next step.
      expect(domains.taskOf('child-protection')).toMatchObject({ queue: 'social-services', taskId: first.taskId, details: { childAge: 9 } });
      const second = await handle.executeUpdate(reportSeparation, { args: [{ actor: KSD, childAge: 15, circumstance: 'child-absconded' }] });
      expect(domains.taskOf('child-protection-b')).toMatchObject({ taskId: second.taskId });
      expect(await refusal(handle.executeUpdate(reportSeparation, { args: [{ actor: ABH, childAge: 19, circumstance: 'hospitalised' }] }))).toBe('InvalidDecision');
      expect(await refusal(handle.executeUpdate(reportSeparation, { args: [{ actor: { domain: 'job-centre', caseworkerId: 'jc.mueller' }, childAge: 9, circumstance: 'other' }] }))).toBe('WrongDomain');
      await handle.executeUpdate(recordExecution, { args: [{ actor: ABH, departedAt: new Date().toISOString(), departure: 'deported' }] });
      expect(await handle.result()).toMatchObject({ outcome: 'PARTIAL', separations: 2 });
    });
    const openedChildProtection = domains.tasks.filter((t) => t.kind.startsWith('child-protection'));
    expect(openedChildProtection).toHaveLength(2);
    expect(domains.steps().filter((s) => s.includes('child-protection:withdrawn'))).toEqual([]);
  });

  it('marks the case stuck and escalates when the participation deadline passes, without ever going ahead alone', async () => {
    const caseRef = newCaseRef('ABH');
    await withDomains(async () => {
      const handle = await start(caseRef, { participationWithin: '2 seconds' });
      const stuck = await eventually(async () => {
        const attributes = (await handle.describe()).typedSearchAttributes;
        return attributes.get(Stuck) === true ? attributes : undefined;
      });
      expect([stuck.get(StuckReason), stuck.get(HandoffStage), stuck.get(WaitingOn)]).toEqual(['deadline-passed', 'PREPARATION', 'social-services']);
      expect(stuck.get(EscalationLevel)).toBeGreaterThanOrEqual(1);
      expect(await refusal(handle.executeUpdate(scheduleDeportation, { args: [{ actor: ABH, plannedAt: dayOperation() }] }))).toBe('NotAwaitingDecision');
      expect(await refusal(handle.executeUpdate(recordExecution, { args: [{ actor: ABH, departedAt: new Date().toISOString(), departure: 'deported' }] }))).toBe('NotAwaitingDecision');

      const state = await handle.query(deportationState);
      await handle.executeUpdate(completeParticipation, { args: [{ taskId: state.participationTaskId!, actor: KSD, finding: 'no-concern' }] });
      const cleared = await published(handle, 'PARTICIPATED');
      expect([cleared.get(Stuck), cleared.get(StuckReason)]).toEqual([false, undefined]);
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'court-stay' }] });
      await handle.result();
    });
  });

  it('opens an escalation task in the social-services inbox when the participation deadline passes and closes it when the KSD answers', async () => {
    const caseRef = newCaseRef('ABH');
    await withDomains(async () => {
      const handle = await start(caseRef, { participationWithin: '2 seconds' });
      const taskId = await participationTask(handle);
      const escalationTask = await eventually(async () => domains.taskOf('child-welfare-participation-escalation-1'), 20000, 'escalation task');
      expect(escalationTask).toMatchObject({
        queue: 'social-services',
        process: 'deportation',
        caseRef,
        workflowId: `deportation:${caseRef}`,
        details: { level: 1, participationTaskId: taskId },
      });
      expect(typeof (escalationTask.details as { escalatedTo?: unknown }).escalatedTo).toBe('string');
      expect(Date.parse(escalationTask.dueAt)).toBeGreaterThan(Date.now() - 5000);

      await handle.executeUpdate(completeParticipation, { args: [{ taskId, actor: KSD, finding: 'no-concern' }] });
      await published(handle, 'PARTICIPATED');
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'court-stay' }] });
      await handle.result();
    });
    const opened = domains.tasks.filter((t) => t.kind.startsWith('child-welfare-participation-escalation-')).map((t) => t.kind);
    expect(opened.length).toBeGreaterThanOrEqual(1);
    const closed = domains.calls.filter((c) => c.activity === 'closeInboxTask' && c.input.kind.includes('-escalation-'));
    expect(closed.map((c) => c.input.kind).sort()).toEqual([...opened].sort());
    for (const close of closed) {
      expect(close).toMatchObject({ queue: 'social-services', input: { state: 'completed', completedBy: KSD, resolution: { finding: 'no-concern' } } });
    }
    // Closed with the step, before the finding goes back: not left for the unwinding.
    const steps = domains.steps();
    expect(steps.indexOf('social-services:closeInboxTask:child-welfare-participation-escalation-1:completed')).toBeLessThan(
      steps.indexOf('social-services:recordParticipation'),
    );
  });

  it('withdraws the escalation tasks when the case is cancelled while the KSD has not answered', async () => {
    const caseRef = newCaseRef('ABH');
    await withDomains(async () => {
      const handle = await start(caseRef, { participationWithin: '2 seconds' });
      await participationTask(handle);
      await eventually(async () => domains.taskOf('child-welfare-participation-escalation-1'), 20000, 'escalation task');
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'medical-certificate' }] });
      expect((await handle.result()).outcome).toBe('SUSPENDED');
    });
    const opened = domains.tasks.filter((t) => t.kind.includes('-escalation-')).map((t) => t.kind);
    const withdrawn = domains.calls.filter((c) => c.activity === 'closeInboxTask' && c.input.kind.includes('-escalation-'));
    expect(withdrawn.map((c) => c.input.kind).sort()).toEqual([...opened].sort());
    expect(withdrawn.every((c) => c.input.state === 'withdrawn')).toBe(true);
    expect(domains.steps().slice(-1)).toEqual(['social-services:closeInboxTask:child-welfare-participation:withdrawn']);
  });

  it('lets the KSD extend, suspend and resume the participation deadline with a reason, but never past the planned day, and nobody else', async () => {
    const caseRef = newCaseRef('ABH');
    await withDomains(async () => {
      const handle = await start(caseRef);
      const taskId = await participationTask(handle);
      await published(handle, 'PREPARATION');
      const change = (request: DeadlineChangeRequest) => refusal(handle.executeUpdate(changeDeadline, { args: [request] }));
      const dueAt = async () => (await handle.query(deportationState)).dueAt;
      const before = await dueAt();
      expect(before).not.toBeNull();

      expect(await change({ action: 'extend', by: ABH, reason: 'Family moved', extendBy: '1 hour' })).toBe('WrongDomain');
      expect(await change({ action: 'suspend', by: JOB_CENTRE, reason: 'Family unreachable' })).toBe('WrongDomain');
      expect(await change({ action: 'extend', by: KSD, reason: '', extendBy: '1 hour' })).toBe('InvalidDeadlineChange');
      expect(await change({ action: 'extend', by: KSD, reason: 'Interpreter needed', extendBy: '30 days' })).toBe('InvalidDeadlineChange');
      expect(await change({ action: 'resume', by: KSD, reason: 'Nothing to resume' })).toBe('InvalidDeadlineChange');
      expect(await dueAt()).toBe(before);

      const extended = await handle.executeUpdate(changeDeadline, { args: [{ action: 'extend', by: KSD, reason: 'Interpreter needed', extendBy: '1 day' }] });
      expect(Date.parse(extended.dueAt!) - Date.parse(before!)).toBe(DAY_MS);
      expect(extended.changes).toEqual([expect.objectContaining({ action: 'extend', by: KSD, reason: 'Interpreter needed', extendBy: '1 day' })]);
      expect(await dueAt()).toBe(extended.dueAt);
      await eventually(async () => ((await handle.describe()).typedSearchAttributes.get(DueAt)?.toISOString() === extended.dueAt ? true : undefined));

      const suspended = await handle.executeUpdate(changeDeadline, { args: [{ action: 'suspend', by: KSD, reason: 'Family in hospital' }] });
      expect([suspended.dueAt, suspended.suspended]).toEqual([null, true]);
      expect(await dueAt()).toBeNull();
      await eventually(async () => ((await handle.describe()).typedSearchAttributes.get(DueAt) === undefined ? true : undefined));
      expect(await change({ action: 'extend', by: KSD, reason: 'Interpreter needed', extendBy: '1 hour' })).toBe('InvalidDeadlineChange');
      expect(await change({ action: 'resume', by: ABH, reason: 'Family back home' })).toBe('WrongDomain');

      const resumed = await handle.executeUpdate(changeDeadline, { args: [{ action: 'resume', by: KSD, reason: 'Family back home' }] });
      expect(resumed.suspended).toBe(false);
      expect(Date.parse(resumed.dueAt!)).toBeGreaterThan(Date.parse(before!));
      expect(resumed.changes.map((c) => c.action)).toEqual(['extend', 'suspend', 'resume']);
      expect((await handle.query(deportationState)).stage).toBe('PREPARATION');

      // Once the KSD has answered, nobody is waited on for the participation: no deadline to change.
      await handle.executeUpdate(completeParticipation, { args: [{ taskId, actor: KSD, finding: 'no-concern' }] });
      await published(handle, 'PARTICIPATED');
      expect(await change({ action: 'extend', by: KSD, reason: 'Interpreter needed', extendBy: '1 hour' })).toBe('NoDeadline');
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'court-stay' }] });
      await handle.result();
    });
    expect(domains.tasks.filter((t) => t.kind.includes('-escalation-'))).toEqual([]);
  });

  it.each<[CancellationReason, 'SUSPENDED' | 'ABORTED']>([
    ['court-stay', 'SUSPENDED'],
    ['toleration-granted', 'SUSPENDED'],
    ['medical-certificate', 'SUSPENDED'],
    ['failed-attempt', 'SUSPENDED'],
    ['absconded', 'ABORTED'],
  ])('unwinds a scheduled case on %s: benefits restored, assignment released, open tasks closed', async (reason, outcome) => {
    const caseRef = newCaseRef('ABH');
    await withDomains(async () => {
      const handle = await start(caseRef);
      await scheduled(handle);
      expect(await refusal(handle.executeUpdate(cancelDeportation, { args: [{ actor: KSD, reason }] }))).toBe('WrongDomain');
      expect(await refusal(handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'bored' as CancellationReason }] }))).toBe('InvalidDecision');
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason }] });
      expect(await handle.result()).toMatchObject({ outcome, cancellationReason: reason });
      expect((await handle.query(deportationState)).unwound).toEqual([
        'restore AsylbLG benefits',
        "release the social worker's assignment",
        'withdraw the child-welfare-participation task',
      ]);
      expect(await refusal(handle.executeUpdate(recordExecution, { args: [{ actor: ABH, departedAt: new Date().toISOString(), departure: 'deported' }] }))).not.toBe('accepted');
      const closed = (await handle.describe()).typedSearchAttributes;
      expect([closed.get(HandoffStage), closed.get(WaitingOn)]).toEqual([outcome, undefined]);
    });
    const steps = domains.steps();
    expect(steps.slice(-3)).toEqual([
      'social-services:restoreBenefits',
      'social-services:releaseAssignment',
      'social-services:closeInboxTask:child-welfare-participation:withdrawn',
    ]);
    expect(domains.calls.find((c) => c.activity === 'restoreBenefits')!.input).toMatchObject({ reason });
  });

  it('unwinds a case cancelled while the KSD has not answered: its task is withdrawn', async () => {
    const caseRef = newCaseRef('ABH');
    await withDomains(async () => {
      const handle = await start(caseRef);
      await participationTask(handle);
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'medical-certificate' }] });
      expect((await handle.result()).outcome).toBe('SUSPENDED');
    });
    expect(domains.steps().slice(-1)).toEqual(['social-services:closeInboxTask:child-welfare-participation:withdrawn']);
    expect(domains.steps()).not.toContain('social-services:recordParticipation');
  });

  it('refuses wrong domains, wrong stages and invalid decisions, changing nothing', async () => {
    const caseRef = newCaseRef('ABH');
    await withDomains(async () => {
      const handle = await start(caseRef);
      const taskId = await participationTask(handle);
      await published(handle, 'PREPARATION');
      const before = await handle.query(deportationState);
      expect(await refusal(handle.executeUpdate(completeParticipation, { args: [{ taskId, actor: ABH, finding: 'no-concern' }] }))).toBe('WrongDomain');
      expect(await refusal(handle.executeUpdate(completeParticipation, { args: [{ taskId, actor: KSD, finding: 'no-concern', concernReason: 'medical-needs' }] }))).toBe('InvalidDecision');
      expect(await refusal(handle.executeUpdate(completeParticipation, { args: [{ taskId, actor: KSD, finding: 'maybe' as 'concern' }] }))).toBe('InvalidDecision');
      expect(await refusal(handle.executeUpdate(scheduleDeportation, { args: [{ actor: KSD, plannedAt: dayOperation() }] }))).toBe('WrongDomain');
      expect(await refusal(handle.executeUpdate(recordExecution, { args: [{ actor: ABH, departedAt: new Date().toISOString(), departure: 'deported' }] }))).toBe('NotAwaitingDecision');
      expect(await handle.query(deportationState)).toEqual(before);

      await handle.executeUpdate(completeParticipation, { args: [{ taskId, actor: KSD, finding: 'no-concern' }] });
      await published(handle, 'PARTICIPATED');
      const schedule = (plannedAt: string, nightOverride?: object) =>
        refusal(handle.executeUpdate(scheduleDeportation, { args: [{ actor: ABH, plannedAt, ...(nightOverride ? { nightOverride } : {}) } as any] }));
      expect(await schedule(nightOperation())).toBe('InvalidDecision');
      expect(await schedule(nightOperation(), { reason: 'convenient' })).toBe('InvalidDecision');
      expect(await schedule(new Date(Date.now() - DAY_MS).toISOString())).toBe('InvalidDecision');
      expect(await schedule('next tuesday')).toBe('InvalidDecision');
      expect((await handle.query(deportationState)).scheduled).toBe(false);
      expect(await schedule(nightOperation(), { reason: 'only-flight-departs-at-night' })).toBe('accepted');
      expect((await handle.query(deportationState)).nightOverride).toEqual({ reason: 'only-flight-departs-at-night', loggedBy: ABH });
      await published(handle, 'SCHEDULED');
      expect(await refusal(handle.executeUpdate(recordExecution, { args: [{ actor: ABH, departedAt: new Date(Date.now() + DAY_MS).toISOString(), departure: 'deported' }] }))).toBe('InvalidDecision');
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'failed-attempt' }] });
      await handle.result();
      expect(await refusal(handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'court-stay' }] }))).not.toBe('accepted');
    });
  });

  it('schedules a family whose children are all 14 or older at night without an override', async () => {
    const caseRef = newCaseRef('ABH');
    await withDomains(async () => {
      const handle = await start(caseRef, { family: { childrenAges: [14, 16], vulnerabilities: [] } });
      await scheduled(handle, nightOperation());
      expect((await handle.query(deportationState)).nightOverride).toBeNull();
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'absconded' }] });
      expect((await handle.result()).outcome).toBe('ABORTED');
    });
  });
});
