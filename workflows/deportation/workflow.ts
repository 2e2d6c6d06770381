import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import type { Duration } from '@temporalio/common';
import {
  CASEWORKER_ID_PATTERN,
  CANCELLATION_REASONS,
  CONCERN_DECISION_WITHIN_MS,
  DEPORTATION_FLOWS,
  DEPORTATION_TASKS,
  DOMAIN_NAMES,
  FINAL_DEPORTATION_STAGES,
  benefitEndDay,
  cancellationStage,
  concernDecisionProblems,
  executionProblems,
  nextDeportationStage,
  participationDueAt,
  participationProblems,
  roundKind,
  scheduleProblems,
  separationProblems,
  socialWorkerDateWindow,
  type Actor,
  type ConcernDecision,
  type DeportationEvent,
  type DeportationInput,
  type DeportationOutcome,
  type DeportationResult,
  type DeportationStage,
  type DeportationState,
  type DeadlineChangeRequest,
  type Domain,
  type ExecutionRecord,
  type SocialServicesDeportationActivities,
  type TransferRecord,
  type Unwinding,
} from '@handoffs/contracts';
import { HandoffDeadline, handleDeadlineChanges } from '../shared/deadline';
import { EscalationTasks } from '../shared/escalation-tasks';
import { escalationHolder, plainTime } from '../shared/escalation';
import { HandoffBoard } from '../shared/handoff-visibility';
import { DomainSteps, RECORD_STEPS, type StepDescriptions } from '../shared/steps';
import { received, transferRecord } from '../shared/transfers';
import {
  cancelDeportation,
  completeParticipation,
  decideOnConcern,
  deportationState,
  recordExecution,
  reportSeparation,
  scheduleDeportation,
} from '@handoffs/workflows/messages';

const SOCIAL_SERVICES_STEPS: StepDescriptions<SocialServicesDeportationActivities> = {
  recordParticipation: (record) => `record the KSD's participation (${record.finding})`,
  shareSchedule: () => 'share the planned date with the assigned social worker',
  releaseAssignment: () => "release the social worker's assignment",
  planBenefitEnd: () => 'plan the end of AsylbLG benefits on the departure day',
  endBenefitsOnDeparture: () => 'end AsylbLG benefits on the departure day',
  restoreBenefits: () => 'restore AsylbLG benefits',
};

const OWNER: Domain = 'immigration';
const KSD = 'municipal social service (KSD, youth welfare)';

/** Who must act in each stage. */
const WAITING_ON: Record<DeportationStage, Domain | null> = {
  REVIEW: 'immigration',
  PREPARATION: 'social-services',
  HALTED: 'immigration',
  PARTICIPATED: 'immigration',
  SCHEDULED: 'immigration',
  EXECUTED: null,
  SUSPENDED: null,
  ABORTED: null,
};

/**
 * The participation deadline: never later than the start of the planned day (participationDueAt),
 * so its step is the SLA capped at the time left until then. When the planned day has begun already
 * the full SLA applies (nothing goes ahead without the participation anyway), and the ladder never
 * escalates faster than once a minute. The KSD may extend it only up to the start of the planned day.
 */
class ParticipationDeadline extends HandoffDeadline {
  constructor(
    stepMs: number,
    private readonly plannedDate: string,
  ) {
    const capped = participationDueAt(Date.now(), stepMs, plannedDate) - Date.now();
    super(capped > 0 ? Math.max(capped, Math.min(stepMs, 60_000)) : stepMs);
  }

  override problemsWith(change: DeadlineChangeRequest): string[] {
    const problems = super.problemsWith(change);
    if (change.action === 'extend' && problems.length === 0) {
      const extendedTo = this.scheduledDueAt.getTime() + msToNumber(change.extendBy as Duration);
      if (extendedTo > Date.parse(`${this.plannedDate}T00:00:00Z`)) {
        problems.push(`the participation is due before the planned day (${this.plannedDate}); no extension past its start`);
      }
    }
    return problems;
  }
}

function refuse(type: string, message: string): never {
  throw ApplicationFailure.nonRetryable(message, type);
}

/**
 * P2 deportation of a family with children, owned by the immigration office. The KSD takes part
 * before the planned day; a concern halts the case until the immigration office decides; every step
 * that goes ahead is a person's Update. A cancellation unwinds what was done, newest first.
 */
export async function deportation(input: DeportationInput): Promise<DeportationResult> {
  const { workflowId } = workflowInfo();
  const board = new HandoffBoard(input.caseRef, OWNER);
  const steps = new DomainSteps(board, input.steps);
  const immigrationRecords = steps.at('immigration', RECORD_STEPS);
  const socialRecords = steps.at('social-services', RECORD_STEPS);
  const socialServices = steps.at('social-services', SOCIAL_SERVICES_STEPS);
  const stepMs = msToNumber(input.participationWithin);
  const { childrenAges } = input.family;
  let plannedDate = input.plannedDate;
  let dueAtMs: number | null = null;
  /** The participation deadline while the KSD is waited on (null otherwise): the only deadline that can be changed. */
  let participationDeadline: HandoffDeadline | null = null;
  let since = Date.now();
  /** True once the current round's participation is on record at the KSD: scheduling waits for it. */
  let participationRecorded = false;
  let concernDecision: ConcernDecision | null = null;
  /** Need-to-know: never in the query state, search attributes, details or logs. */
  let plannedAt: string | null = null;
  let execution: ExecutionRecord | null = null;
  let decisionRound = 0;
  /** The KSD's latest finding as the immigration office received it: the decision task's source. */
  let lastFinding: TransferRecord | null = null;
  const compensations: { what: string; run: () => Promise<void> }[] = [];

  const state: DeportationState = {
    caseRef: input.caseRef,
    stage: 'REVIEW',
    waitingOn: OWNER,
    dueAt: null,
    stuck: false,
    escalationLevel: 0,
    participationRound: 0,
    participationTaskId: null,
    decisionTaskId: null,
    participation: null,
    scheduled: false,
    nightOverride: null,
    separations: [],
    cancellation: null,
    unwound: [],
    outcome: null,
  };

  const isFinal = () => FINAL_DEPORTATION_STAGES.includes(state.stage);
  const now = () => new Date(Date.now()).toISOString();

  function move(event: DeportationEvent): void {
    const next = nextDeportationStage(state.stage, event);
    if (!next) {
      throw new Error(`${event} is not possible in stage ${state.stage}`);
    }
    state.stage = next;
  }

  function publish(details: string): void {
    const waitingOn = WAITING_ON[state.stage];
    const dueAt = participationDeadline ? participationDeadline.dueAt : dueAtMs === null ? null : new Date(dueAtMs);
    Object.assign(state, { waitingOn, dueAt: dueAt?.toISOString() ?? null });
    board.publish(
      {
        stage: state.stage,
        waitingOn,
        dueAt,
        stuckReason: state.stuck ? 'deadline-passed' : null,
        escalationLevel: state.escalationLevel,
      },
      details,
    );
  }

  function escalation(): string {
    return state.escalationLevel > 0
      ? `; deadline passed, escalated to the ${escalationHolder(state.escalationLevel)} (level ${state.escalationLevel})`
      : '';
  }

  // Validators: closed case, then the acting domain, then the stage, then the content.
  function expectActor(actor: Actor | undefined, domains: Domain[], what: string): void {
    if (isFinal()) {
      refuse('AlreadyClosed', `The deportation case is closed (${state.stage})`);
    }
    if (!actor || !domains.includes(actor.domain)) {
      refuse('WrongDomain', `Only the ${domains.map((d) => DOMAIN_NAMES[d]).join(' or the ')} ${what}`);
    }
    if (!CASEWORKER_ID_PATTERN.test(actor.caseworkerId ?? '')) {
      refuse('InvalidDecision', 'caseworkerId must be a staff ID');
    }
  }
  function expectEvent(event: DeportationEvent): void {
    if (!nextDeportationStage(state.stage, event)) {
      refuse('NotAwaitingDecision', `The case is in stage ${state.stage}, where this step is not possible`);
    }
  }
  function expectValid(problems: string[]): void {
    if (problems.length > 0) {
      refuse('InvalidDecision', `Invalid decision: ${problems.join('; ')}`);
    }
  }

  setHandler(deportationState, () => state);

  setHandler(
    completeParticipation,
    (finding) => {
      state.participation = { finding: finding.finding, concernReason: finding.concernReason ?? null, by: finding.actor };
      move(finding.finding);
      return { stage: state.stage };
    },
    {
      validator: (finding) => {
        expectActor(finding.actor, ['social-services'], 'completes the child-welfare participation');
        if (state.stage !== 'PREPARATION' || finding.taskId !== state.participationTaskId) {
          refuse('NotAwaitingDecision', 'No open participation task with this ID');
        }
        expectValid(participationProblems(finding));
      },
    },
  );

  function cancel(reason: (typeof CANCELLATION_REASONS)[number], by: Actor): void {
    state.cancellation = { reason, by };
    move(cancellationStage(reason) === 'ABORTED' ? 'abort' : 'suspend');
  }

  setHandler(
    decideOnConcern,
    (decision) => {
      concernDecision = decision;
      if (decision.decision === 'proceed') {
        move('proceed');
      } else if (decision.decision === 'postpone') {
        plannedDate = decision.plannedDate ?? plannedDate; // the validator requires it
        move('postpone');
      } else {
        cancel(decision.cancellationReason ?? 'child-welfare', decision.actor); // the validator requires it
      }
      return { stage: state.stage };
    },
    {
      validator: (decision) => {
        expectActor(decision.actor, ['immigration'], 'decides on a concern');
        if (state.stage !== 'HALTED' || decision.taskId !== state.decisionTaskId) {
          refuse('NotAwaitingDecision', 'No open decision task with this ID');
        }
        expectValid(concernDecisionProblems(decision, plannedDate));
      },
    },
  );

  setHandler(
    scheduleDeportation,
    (schedule) => {
      plannedAt = schedule.plannedAt;
      state.nightOverride = schedule.nightOverride ? { reason: schedule.nightOverride.reason, loggedBy: schedule.actor } : null;
      state.scheduled = true;
      move('schedule');
      return { stage: state.stage };
    },
    {
      validator: (schedule) => {
        expectActor(schedule.actor, ['immigration'], 'schedules a deportation');
        expectEvent('schedule');
        if (!participationRecorded || !state.participation) {
          refuse('NotAwaitingDecision', 'The child-welfare participation is not on record yet');
        }
        expectValid(scheduleProblems(schedule, childrenAges, Date.now()));
      },
    },
  );

  setHandler(
    recordExecution,
    (record) => {
      execution = record;
      move('execute');
      return { stage: state.stage };
    },
    {
      validator: (record) => {
        expectActor(record.actor, ['immigration'], 'records a departure');
        expectEvent('execute');
        if (!participationRecorded || !state.participation || !state.scheduled) {
          refuse('NotAwaitingDecision', 'Never executed without the recorded participation and a date');
        }
        expectValid(executionProblems(record, Date.now()));
      },
    },
  );

  setHandler(
    cancelDeportation,
    (request) => {
      cancel(request.reason, request.actor);
      return { stage: state.stage };
    },
    {
      validator: (request) => {
        expectActor(request.actor, ['immigration'], 'cancels a deportation');
        if (!(CANCELLATION_REASONS as readonly string[]).includes(request.reason)) {
          refuse('InvalidDecision', `Invalid decision: reason must be one of ${CANCELLATION_REASONS.join(', ')}`);
        }
      },
    },
  );

  setHandler(
    reportSeparation,
    async (report) => {
      const taskId = uuid4();
      const kind = roundKind(DEPORTATION_TASKS.childProtection, state.separations.length + 1);
      state.separations.push({ taskId, childAge: report.childAge, circumstance: report.circumstance, reportedBy: report.actor });
      const details = { childAge: report.childAge, circumstance: report.circumstance, reportedBy: report.actor };
      const sent = transferRecord('deportation', input.caseRef, DEPORTATION_FLOWS.separationNotice, 'sent', details);
      await socialRecords.openInboxTask({
        taskId,
        workflowId,
        caseRef: input.caseRef,
        process: 'deportation',
        kind,
        dueAt: now(),
        details,
        receivedTransfer: received(sent, DEPORTATION_FLOWS.separationNotice),
      });
      await immigrationRecords.recordTransfer(sent);
      return { taskId };
    },
    {
      validator: (report) => {
        expectActor(report.actor, ['immigration', 'social-services'], 'report a separation');
        expectValid(separationProblems(report));
      },
    },
  );

  function unwinding(): Unwinding {
    return { workflowId, caseRef: input.caseRef, reason: state.cancellation?.reason ?? 'court-stay', at: now() };
  }

  async function participationRound(): Promise<void> {
    state.participationRound += 1;
    const taskId = uuid4();
    const kind = roundKind(DEPORTATION_TASKS.participation, state.participationRound);
    Object.assign(state, { participationTaskId: taskId, participation: null, stuck: false, escalationLevel: 0 });
    participationRecorded = false;
    since = Date.now();
    const deadline = new ParticipationDeadline(stepMs, plannedDate);
    const escalations = new EscalationTasks(socialRecords, 'deportation', input.caseRef, kind);
    dueAtMs = null;
    if (patched('participation-due-while-handing-over')) {
      // The task's due date shows while the case is handed over, also when social services cannot take it yet.
      dueAtMs = deadline.scheduledDueAt.getTime();
      publish(`Handing the case to the ${KSD} for its child-welfare participation; due ${plainTime(dueAtMs)}.`);
    }
    const details = { family: input.family };
    const sent = transferRecord('deportation', input.caseRef, DEPORTATION_FLOWS.participationRequest, 'sent', details);
    await immigrationRecords.recordTransfer(sent);
    await socialRecords.openInboxTask({
      taskId,
      workflowId,
      caseRef: input.caseRef,
      process: 'deportation',
      kind,
      dueAt: deadline.scheduledDueAt.toISOString(),
      details,
      receivedTransfer: received(sent, DEPORTATION_FLOWS.participationRequest),
    });
    compensations.push({
      what: `withdraw the ${kind} task`,
      run: () => socialRecords.closeInboxTask({ workflowId, kind, state: 'withdrawn', closedAt: now() }),
    });
    const waiting = () => {
      const due = deadline.suspended ? 'deadline suspended' : `due ${plainTime(deadline.scheduledDueAt.getTime())}`;
      return `Waiting on the ${KSD} for its child-welfare participation since ${plainTime(since)}; ${due}${escalation()}.`;
    };
    participationDeadline = deadline;
    handleDeadlineChanges(
      deadline,
      () => (participationDeadline === deadline && state.stage === 'PREPARATION' ? 'social-services' : null),
      () => publish(waiting()),
    );
    publish(waiting());
    while (!(await deadline.waitFor(() => state.stage !== 'PREPARATION'))) {
      state.stuck = true;
      state.escalationLevel += 1;
      deadline.nextStep();
      await escalations.escalate(state.escalationLevel, deadline.scheduledDueAt, { participationTaskId: taskId });
      publish(waiting());
    }
    participationDeadline = null;
    state.stuck = false;
    const participation = state.participation;
    if (!participation) {
      await escalations.closeAll('withdrawn', { cancelled: state.cancellation?.reason ?? null });
      return; // cancelled while waiting
    }
    const resolution = { finding: participation.finding, concernReason: participation.concernReason };
    await socialRecords.closeInboxTask({ workflowId, kind, state: 'completed', completedBy: participation.by, resolution, closedAt: now() });
    await escalations.closeAll('completed', resolution, participation.by);
    const findingSent = transferRecord('deportation', input.caseRef, DEPORTATION_FLOWS.participationFinding, 'sent', resolution);
    await socialRecords.recordTransfer(findingSent);
    lastFinding = received(findingSent, DEPORTATION_FLOWS.participationFinding);
    await immigrationRecords.recordTransfer(lastFinding);
    await socialServices.recordParticipation({
      workflowId,
      caseRef: input.caseRef,
      socialWorker: participation.by,
      finding: participation.finding,
      concernReason: participation.concernReason,
      recordedAt: now(),
    });
    compensations.push({ what: "release the social worker's assignment", run: () => socialServices.releaseAssignment(unwinding()) });
    participationRecorded = true;
  }
  async function concernRound(finding: TransferRecord): Promise<void> {
    decisionRound += 1;
    concernDecision = null;
    const taskId = uuid4();
    const kind = roundKind(DEPORTATION_TASKS.decision, decisionRound);
    state.decisionTaskId = taskId;
    since = Date.now();
    // Need-to-know (R10): the decision's deadline is its own, and its task does not carry the planned day.
    const ownDeadline = patched('concern-decision-own-deadline');
    dueAtMs = ownDeadline ? since + CONCERN_DECISION_WITHIN_MS : Date.parse(`${plannedDate}T00:00:00Z`);
    const concernReason = state.participation?.concernReason ?? null;
    await immigrationRecords.openInboxTask({
      taskId,
      workflowId,
      caseRef: input.caseRef,
      process: 'deportation',
      kind,
      dueAt: new Date(dueAtMs).toISOString(),
      details: ownDeadline
        ? { concernReason, options: ['proceed', 'postpone', 'cancel'] }
        : { concernReason, plannedDate, options: ['proceed', 'postpone', 'cancel'] },
      receivedTransfer: finding,
    });
    compensations.push({
      what: `withdraw the ${kind} task`,
      run: () => immigrationRecords.closeInboxTask({ workflowId, kind, state: 'withdrawn', closedAt: now() }),
    });
    publish(
      `Halted: the ${KSD} raised a concern on ${plainTime(since)}; waiting on the ${DOMAIN_NAMES.immigration} ` +
        'to decide whether to proceed, postpone or cancel.',
    );
    await condition(() => state.stage !== 'HALTED');
    const decided = concernDecision as ConcernDecision | null;
    if (decided) {
      await immigrationRecords.closeInboxTask({
        workflowId,
        kind,
        state: 'completed',
        completedBy: decided.actor,
        resolution: { decision: decided.decision, cancellationReason: decided.cancellationReason ?? null },
        closedAt: now(),
      });
    }
  }

  async function prepareScheduled(at: string): Promise<void> {
    dueAtMs = null;
    publish(`Scheduled by the ${DOMAIN_NAMES.immigration}; telling the ${KSD} and social services (AsylbLG).`);
    const window = socialWorkerDateWindow(at);
    const share = { plannedAt: at, visibleFrom: window.from, visibleUntil: window.until };
    const shareSent = transferRecord('deportation', input.caseRef, DEPORTATION_FLOWS.scheduleShare, 'sent', share);
    await immigrationRecords.recordTransfer(shareSent);
    await socialServices.shareSchedule({
      workflowId,
      caseRef: input.caseRef,
      ...share,
      receivedTransfer: received(shareSent, DEPORTATION_FLOWS.scheduleShare),
    });
    const endsOn = benefitEndDay(at);
    const noticeSent = transferRecord('deportation', input.caseRef, DEPORTATION_FLOWS.departureNotice, 'sent', { endsOn });
    await immigrationRecords.recordTransfer(noticeSent);
    await socialServices.planBenefitEnd({
      workflowId,
      caseRef: input.caseRef,
      endsOn,
      receivedTransfer: received(noticeSent, DEPORTATION_FLOWS.departureNotice),
    });
    compensations.push({ what: 'restore AsylbLG benefits', run: () => socialServices.restoreBenefits(unwinding()) });
    if (state.stage === 'SCHEDULED') {
      publish(`Scheduled; waiting on the ${DOMAIN_NAMES.immigration} to record the departure.`);
    }
  }

  publish(`The ${DOMAIN_NAMES.immigration} has reviewed the case and asks the ${KSD} to take part.`);
  move('ask-participation');
  while (!isFinal()) {
    switch (state.stage) {
      case 'PREPARATION':
        await participationRound();
        break;
      case 'HALTED':
        if (!lastFinding) throw new Error('halted without a recorded finding');
        await concernRound(lastFinding);
        break;
      case 'PARTICIPATED':
        dueAtMs = null;
        publish(`Participation on record; waiting on the ${DOMAIN_NAMES.immigration} to set the date.`);
        await condition(() => state.stage !== 'PARTICIPATED');
        break;
      case 'SCHEDULED':
        if (!plannedAt) throw new Error('scheduled without a date');
        await prepareScheduled(plannedAt);
        await condition(() => state.stage !== 'SCHEDULED');
        break;
      default:
        throw new Error(`unexpected stage ${state.stage}`);
    }
  }

  dueAtMs = null;
  let outcome: DeportationOutcome;
  if (state.stage === 'EXECUTED') {
    const departed = execution as ExecutionRecord | null;
    if (!departed) throw new Error('executed without a record');
    const endsOn = benefitEndDay(departed.departedAt);
    publish(`Departure recorded by the ${DOMAIN_NAMES.immigration}; AsylbLG benefits end on the day of departure.`);
    await socialServices.endBenefitsOnDeparture({ workflowId, caseRef: input.caseRef, endsOn });
    outcome = departed.departure === 'voluntary' ? 'DEPARTED_VOLUNTARILY' : state.separations.length > 0 ? 'PARTIAL' : 'DEPORTED';
  } else {
    publish(`Stopped (${state.cancellation?.reason}); undoing what was done.`);
    for (const compensation of [...compensations].reverse()) {
      await compensation.run();
      state.unwound.push(compensation.what);
    }
    outcome = state.stage === 'ABORTED' ? 'ABORTED' : 'SUSPENDED';
  }
  state.outcome = outcome;
  const openChildProtection = state.separations.length > 0 ? ` ${state.separations.length} child-protection task(s) stay with the ${KSD}.` : '';
  publish(`Closed: ${outcome} on ${plainTime(Date.now())}.${openChildProtection}`);

  await condition(allHandlersFinished);
  return {
    caseRef: input.caseRef,
    outcome,
    stage: state.stage,
    separations: state.separations.length,
    cancellationReason: state.cancellation?.reason ?? null,
    closedAt: now(),
  };
}
