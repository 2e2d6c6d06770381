import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import {
  DOMAIN_NAMES,
  LEGAL_DOMAIN_TRANSFER_FLOWS,
  LEGAL_DOMAIN_TRANSFER_TASKS,
  asylblgEndFor,
  addDays,
  dayOf,
  doublePaidDays,
  effectiveDateProblems,
  reimbursementAssertBy,
  ruleSetFor,
  sgb2DecisionProblems,
  sgb2StartFor,
  transferPeriods,
  type Actor,
  type Domain,
  type EffectiveDateConfirmed,
  type EffectiveDateDecision,
  type JobCentreTransferActivities,
  type LegalDomainTransferInput,
  type LegalDomainTransferResult,
  type LegalDomainTransferStage,
  type LegalDomainTransferState,
  type Sgb2Decided,
  type Sgb2Decision,
  type SocialServicesTransferActivities,
} from '@handoffs/contracts';
import { HandoffDeadline, handleDeadlineChanges } from '../shared/deadline';
import { escalationHolder, plainTime } from '../shared/escalation';
import { EscalationTasks } from '../shared/escalation-tasks';
import { HandoffBoard } from '../shared/handoff-visibility';
import { DomainSteps, RECORD_STEPS, type StepDescriptions } from '../shared/steps';
import { received, transferRecord } from '../shared/transfers';
import { confirmEffectiveDate, decideSgb2Application, legalDomainTransferState } from '@handoffs/workflows/messages';

const SOCIAL_SERVICES_STEPS: StepDescriptions<SocialServicesTransferActivities> = {
  openEffectiveDateTask: () => 'open the effective-date confirmation task in its inbox',
  endAsylblg: () => 'record the end of AsylbLG benefits (month end)',
  settleAsylblgPayments: () => 'settle AsylbLG payments after their end',
  assertReimbursementClaim: () => 'record the reimbursement claim for the days both paid (§ 104 SGB X)',
};
const JOB_CENTRE_STEPS: StepDescriptions<JobCentreTransferActivities> = {
  receiveSgb2Application: () => 'receive the SGB II application with the benefit facts',
  paySgb2Advance: () => 'pay an SGB II advance from the SGB II start (§ 42 SGB I)',
  recordSgb2Decision: (decision) => `record the SGB II decision (${decision.decision})`,
  receiveReimbursementClaim: () => 'receive the reimbursement claim (§ 104 SGB X)',
};

const OWNER: Domain = 'job-centre';
const PROCESS = 'legal-domain-transfer';
const { effectiveDate: EFFECTIVE_DATE_TASK, sgb2Decision: SGB2_DECISION_TASK } = LEGAL_DOMAIN_TRANSFER_TASKS;

/**
 * P3a legal-domain transfer (Rechtskreiswechsel) AsylbLG → SGB II, owned by the job centre.
 * Social services confirms when the AsylbLG entitlement lapses (a person decides); AsylbLG ends at the
 * end of that month; the job centre decides SGB II from the next day, paying an advance (§ 42 SGB I)
 * if it has not decided by the day before; days both carriers paid for become a reimbursement claim.
 */
export async function legalDomainTransfer(input: LegalDomainTransferInput): Promise<LegalDomainTransferResult> {
  const { workflowId } = workflowInfo();
  const board = new HandoffBoard(input.caseRef, OWNER);
  const steps = new DomainSteps(board, input.steps);
  const socialServicesRecords = steps.at('social-services', RECORD_STEPS);
  const socialServices = steps.at('social-services', SOCIAL_SERVICES_STEPS);
  const jobCentreRecords = steps.at('job-centre', RECORD_STEPS);
  const jobCentre = steps.at('job-centre', JOB_CENTRE_STEPS);
  const confirmWithinMs = msToNumber(input.confirmWithin);
  const decideWithinMs = msToNumber(input.decideWithin);
  const ruleSet = ruleSetFor(input.reportedAt);
  const effectiveDateTaskId = uuid4();
  const decisionTaskId = uuid4();
  let since = Date.now();
  // One deadline per waiting step (the one current now), each with its own escalation tasks in the waiting domain's inbox.
  const confirmDeadline = new HandoffDeadline(confirmWithinMs);
  const confirmEscalations = new EscalationTasks(socialServicesRecords, PROCESS, input.caseRef, EFFECTIVE_DATE_TASK);
  let deadline = confirmDeadline;
  /** The day before SGB II starts, while the advance is still owed: law, so no deadline change moves it. */
  let advanceDueAtMs: number | null = null;
  let confirmed: EffectiveDateConfirmed | undefined;
  let decided: Sgb2Decided | undefined;
  let decisionTaskOpen = false;

  const state: LegalDomainTransferState = {
    caseRef: input.caseRef,
    stage: 'TRIGGERED',
    waitingOn: 'social-services',
    dueAt: confirmDeadline.scheduledDueAt.toISOString(),
    stuck: false,
    escalationLevel: 0,
    outcome: null,
    effectiveDate: null,
    sgb2Decision: null,
    advanceFrom: null,
    reimbursement: null,
  };

  /** When the step is due: the current deadline (none while suspended), but no later than an owed advance. */
  function dueAtMs(): number | null {
    const due = deadline.dueAt?.getTime() ?? null;
    if (advanceDueAtMs === null || state.advanceFrom) return due;
    return due === null ? advanceDueAtMs : Math.min(due, advanceDueAtMs);
  }

  function due(): string {
    const ms = dueAtMs();
    return ms === null ? 'deadline suspended' : `due ${plainTime(ms)}`;
  }

  function publish(stage: LegalDomainTransferStage, waitingOn: Domain | null, details: string): void {
    const dueMs = waitingOn ? dueAtMs() : null;
    const dueAt = dueMs === null ? null : new Date(dueMs);
    Object.assign(state, { stage, waitingOn, dueAt: dueAt?.toISOString() ?? null });
    board.publish(
      {
        stage,
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

  function refuseUnlessFrom(actor: Actor | undefined, domain: Domain, what: string): void {
    if (actor?.domain !== domain) {
      throw ApplicationFailure.nonRetryable(`Only the ${DOMAIN_NAMES[domain]} ${what}`, 'WrongDomain');
    }
  }

  setHandler(legalDomainTransferState, () => state);
  setHandler(
    confirmEffectiveDate,
    (decision: EffectiveDateDecision) => {
      const asylblgEnd = asylblgEndFor(decision.effectiveDate);
      confirmed = {
        effectiveDate: decision.effectiveDate,
        asylblgEnd,
        sgb2Start: sgb2StartFor(asylblgEnd),
        ruleSetVersion: ruleSet.version,
        decidedBy: decision.decidedBy,
        decidedAt: new Date(Date.now()).toISOString(),
      };
      state.effectiveDate = confirmed;
      return confirmed;
    },
    {
      validator: (decision: EffectiveDateDecision) => {
        if (confirmed) {
          throw ApplicationFailure.nonRetryable('The effective date is already confirmed', 'AlreadyDecided');
        }
        if (decision.taskId !== effectiveDateTaskId) {
          throw ApplicationFailure.nonRetryable('No open effective-date task with this ID', 'NotAwaitingDecision');
        }
        refuseUnlessFrom(decision.decidedBy, 'social-services', 'confirms the effective date');
        const problems = effectiveDateProblems(decision.effectiveDate, input.recognition, ruleSet);
        if (problems.length > 0) {
          throw ApplicationFailure.nonRetryable(`Invalid decision: ${problems.join('; ')}`, 'InvalidDecision');
        }
      },
    },
  );
  setHandler(
    decideSgb2Application,
    (decision: Sgb2Decision) => {
      decided = {
        outcome: decision.decision.kind === 'award' ? 'SGB2_ACTIVE' : 'NO_NEED',
        decision: decision.decision,
        ruleSetVersion: ruleSet.version,
        decidedBy: decision.decidedBy,
        decidedAt: new Date(Date.now()).toISOString(),
      };
      Object.assign(state, { sgb2Decision: decided, outcome: decided.outcome });
      return decided;
    },
    {
      validator: (decision: Sgb2Decision) => {
        if (decided) {
          throw ApplicationFailure.nonRetryable('The SGB II application is already decided', 'AlreadyDecided');
        }
        if (!confirmed || !decisionTaskOpen || decision.taskId !== decisionTaskId) {
          throw ApplicationFailure.nonRetryable('No open SGB II decision task with this ID', 'NotAwaitingDecision');
        }
        refuseUnlessFrom(decision.decidedBy, 'job-centre', 'decides the SGB II application');
        const problems = sgb2DecisionProblems(decision.decision, confirmed.sgb2Start, ruleSet);
        if (problems.length > 0) {
          throw ApplicationFailure.nonRetryable(`Invalid decision: ${problems.join('; ')}`, 'InvalidDecision');
        }
      },
    },
  );

  // TRIGGERED: social services' caseworker confirms the effective date.
  const waitingForConfirmation = () =>
    `Recognition reported; waiting on the ${DOMAIN_NAMES['social-services']} to confirm the date the AsylbLG entitlement lapses ` +
    `since ${plainTime(since)}; ${due()}${escalation()}.`;
  handleDeadlineChanges(
    confirmDeadline,
    () => (confirmed ? null : 'social-services'),
    () => publish('TRIGGERED', 'social-services', waitingForConfirmation()),
  );
  publish('TRIGGERED', 'social-services', waitingForConfirmation());
  await socialServices.openEffectiveDateTask({
    taskId: effectiveDateTaskId,
    workflowId,
    caseRef: input.caseRef,
    kind: EFFECTIVE_DATE_TASK,
    dueAt: confirmDeadline.scheduledDueAt.toISOString(),
    details: { recognition: input.recognition, reportedBy: input.reportedBy, ruleSet },
  });
  while (!confirmed) {
    if (!(await confirmDeadline.waitFor(() => confirmed !== undefined))) {
      state.stuck = true;
      state.escalationLevel += 1;
      confirmDeadline.nextStep();
      await confirmEscalations.escalate(state.escalationLevel, confirmDeadline.scheduledDueAt, { effectiveDateTaskId });
      publish('TRIGGERED', 'social-services', waitingForConfirmation());
    }
  }
  const { asylblgEnd, sgb2Start } = confirmed;

  // EFFECTIVE_DATE_CONFIRMED: the termination decision is the caseworker's; social services records it.
  state.stuck = false;
  publish(
    'EFFECTIVE_DATE_CONFIRMED',
    'social-services',
    `Effective date confirmed by social services; AsylbLG ends ${asylblgEnd}; recording the termination decision.`,
  );
  const asylblg = await socialServices.endAsylblg({
    workflowId,
    caseRef: input.caseRef,
    effectiveDate: confirmed.effectiveDate,
    asylblgEnd,
    ruleSetVersion: confirmed.ruleSetVersion,
    decidedBy: confirmed.decidedBy,
    decidedAt: confirmed.decidedAt,
  });
  await socialServicesRecords.closeInboxTask({
    workflowId,
    kind: EFFECTIVE_DATE_TASK,
    state: 'completed',
    completedBy: confirmed.decidedBy,
    resolution: confirmed,
    closedAt: confirmed.decidedAt,
  });
  await confirmEscalations.closeAll('completed', confirmed, confirmed.decidedBy);

  // TARGET_APPLICATION: the application taken at the AsylbLG desk goes to the job centre (§ 16 Abs. 2 SGB I).
  const handover = {
    asylblgEnd,
    sgb2Start,
    lastPaymentPeriod: asylblg.payments.at(-1) ?? null,
    filedOn: dayOf(Date.now()),
  };
  const handoverSent = transferRecord(PROCESS, input.caseRef, LEGAL_DOMAIN_TRANSFER_FLOWS.applicationHandover, 'sent', handover);
  await socialServicesRecords.recordTransfer(handoverSent);
  const handoverReceived = received(handoverSent, LEGAL_DOMAIN_TRANSFER_FLOWS.applicationHandover);
  await jobCentre.receiveSgb2Application({
    workflowId,
    caseRef: input.caseRef,
    asylblgEnd,
    sgb2Start,
    filedOn: handover.filedOn,
    handedOverBy: confirmed.decidedBy,
    receivedTransfer: handoverReceived,
  });
  // The advance must reach the person on the SGB II start day: decide by the day before, or the advance is paid.
  // The escalation ladder starts afresh for the job centre's own step.
  since = Date.now();
  const decideDeadline = new HandoffDeadline(decideWithinMs);
  const decideEscalations = new EscalationTasks(jobCentreRecords, PROCESS, input.caseRef, SGB2_DECISION_TASK);
  deadline = decideDeadline;
  state.escalationLevel = 0;
  const advanceAtMs = Math.max(Date.parse(`${addDays(sgb2Start, -1)}T00:00:00Z`), since);
  advanceDueAtMs = advanceAtMs;
  let advanceDateReached = advanceAtMs <= since;
  const advanceClock = new CancellationScope();
  if (!advanceDateReached) {
    void advanceClock.run(() => sleep(advanceAtMs - since)).then(
      () => {
        advanceDateReached = true;
      },
      () => undefined,
    );
  }
  const advanceOwed = () => advanceDateReached && !state.advanceFrom;
  await jobCentreRecords.openInboxTask({
    taskId: decisionTaskId,
    workflowId,
    caseRef: input.caseRef,
    process: PROCESS,
    kind: SGB2_DECISION_TASK,
    dueAt: new Date(dueAtMs() ?? decideDeadline.scheduledDueAt.getTime()).toISOString(),
    details: handover,
    receivedTransfer: handoverReceived,
  });
  decisionTaskOpen = true;
  const waitingForDecision = () =>
    `Waiting on the ${DOMAIN_NAMES['job-centre']} to decide the SGB II application since ${plainTime(since)}; ` +
    `SGB II must start ${sgb2Start}; ${due()}` +
    (state.advanceFrom ? `; advance (§ 42 SGB I) paid from ${state.advanceFrom}` : '') +
    `${escalation()}.`;
  handleDeadlineChanges(
    decideDeadline,
    () => (decisionTaskOpen && !decided ? 'job-centre' : null),
    () => publish('TARGET_APPLICATION', 'job-centre', waitingForDecision()),
  );
  publish('TARGET_APPLICATION', 'job-centre', waitingForDecision());

  async function missedDecision(): Promise<void> {
    if (!state.advanceFrom) {
      await jobCentre.paySgb2Advance({
        workflowId,
        caseRef: input.caseRef,
        from: sgb2Start,
        grantedAt: new Date(Date.now()).toISOString(),
        ruleSetVersion: ruleSet.version,
      });
      Object.assign(state, { advanceFrom: sgb2Start, outcome: decided ? state.outcome : 'PENDING_DECISION' });
    }
    if (!decided && decideDeadline.mayEscalate()) {
      state.stuck = true;
      state.escalationLevel += 1;
      decideDeadline.nextStep();
      await decideEscalations.escalate(state.escalationLevel, decideDeadline.scheduledDueAt, { decisionTaskId, sgb2Start });
      publish('TARGET_APPLICATION', 'job-centre', waitingForDecision());
    }
  }

  // Missed: the deadline, or (whatever the deadline now says) the day before SGB II starts with no decision.
  while (!decided) {
    await decideDeadline.waitFor(() => decided !== undefined || advanceOwed());
    if (!decided) await missedDecision();
  }
  advanceClock.cancel();

  // TARGET_DECIDED: the job centre records its decision; it supersedes any advance.
  state.stuck = false;
  publish('TARGET_DECIDED', 'job-centre', `SGB II application decided (${decided.outcome}); recording the decision.`);
  await jobCentre.recordSgb2Decision({ workflowId, caseRef: input.caseRef, ...decided });
  await jobCentreRecords.closeInboxTask({
    workflowId,
    kind: SGB2_DECISION_TASK,
    state: 'completed',
    completedBy: decided.decidedBy,
    resolution: decided,
    closedAt: decided.decidedAt,
  });
  await decideEscalations.closeAll('completed', decided, decided.decidedBy);

  // SOURCE_ENDED: no AsylbLG payment after the end; what was already paid stands.
  publish('SOURCE_ENDED', 'social-services', `Closing the AsylbLG payments at ${asylblgEnd}.`);
  const settled = await socialServices.settleAsylblgPayments({ workflowId, caseRef: input.caseRef, asylblgEnd });

  // RECONCILED: days both carriers paid for are settled between them (§§ 105, 107 SGB X), not with the person.
  const sgb2Period =
    decided.decision.kind === 'award'
      ? { from: sgb2Start, to: decided.decision.until }
      : state.advanceFrom
        ? { from: sgb2Start, to: addDays(dayOf(Date.parse(decided.decidedAt)), -1) }
        : null;
  const doublePaid = doublePaidDays(settled.payments, asylblgEnd, sgb2Period);
  if (doublePaid) {
    publish('SOURCE_ENDED', 'social-services', `Both carriers paid for ${doublePaid.from} to ${doublePaid.to}; recording the reimbursement claim.`);
    const claim = { days: doublePaid, assertBy: reimbursementAssertBy(doublePaid) };
    const claimSent = transferRecord(PROCESS, input.caseRef, LEGAL_DOMAIN_TRANSFER_FLOWS.reimbursementClaim, 'sent', claim);
    await socialServices.assertReimbursementClaim({ workflowId, caseRef: input.caseRef, ...claim, sentTransfer: claimSent });
    await jobCentre.receiveReimbursementClaim({
      workflowId,
      caseRef: input.caseRef,
      ...claim,
      receivedTransfer: received(claimSent, LEGAL_DOMAIN_TRANSFER_FLOWS.reimbursementClaim),
    });
    state.reimbursement = doublePaid;
  }
  const periods = transferPeriods({
    asylblgSince: settled.since,
    asylblgEnd,
    sgb2: sgb2Period ? { basis: decided.decision.kind === 'award' ? 'award' : 'advance', until: sgb2Period.to } : null,
  });
  publish(
    'RECONCILED',
    null,
    `Closed: ${decided.outcome}; AsylbLG ended ${asylblgEnd}` +
      (decided.decision.kind === 'award' ? `, SGB II from ${sgb2Start}` : '') +
      (doublePaid ? `; reimbursement claim for ${doublePaid.from} to ${doublePaid.to}` : '') +
      '.',
  );

  await condition(allHandlersFinished);
  return {
    caseRef: input.caseRef,
    outcome: decided.outcome,
    effectiveDate: confirmed,
    sgb2Decision: decided,
    advanceFrom: state.advanceFrom,
    periods,
    reimbursement: doublePaid,
  };
}
