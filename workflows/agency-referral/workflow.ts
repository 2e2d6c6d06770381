import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  log,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import {
  AGENCY_INFORMATION_TASK,
  AGENCY_REFERRAL_FLOWS,
  DOMAIN_NAMES,
  agencyDecisionProblems,
  agencyInformationProblems,
  type AgencyAnswer,
  type AgencyGatewayActivities,
  type AgencyInformation,
  type AgencyInformationSupplied,
  type AgencyInformationSupply,
  type AgencyReferral,
  type AgencyReferralInput,
  type AgencyReferralResult,
  type AgencyReferralStage,
  type AgencyReferralState,
  type Domain,
  type JobCentreAgencyReferralActivities,
  type StuckReasonCode,
} from '@handoffs/contracts';
import { HandoffDeadline, handleDeadlineChanges } from '../shared/deadline';
import { escalationHolder, plainTime } from '../shared/escalation';
import { EscalationTasks } from '../shared/escalation-tasks';
import { HandoffBoard } from '../shared/handoff-visibility';
import { AGENCY_STEP, DomainSteps, RECORD_STEPS, type StepDescriptions } from '../shared/steps';
import { received, transferRecord } from '../shared/transfers';
import { agencyAnswerReceived, agencyReferralState, supplyAgencyInformation } from '@handoffs/workflows/messages';

const GATEWAY: Domain = 'employment-agency-gateway';
const GATEWAY_STEPS: StepDescriptions<AgencyGatewayActivities> = {
  submitReferral: (submission) => `send round ${submission.referral.round} of the referral to the employment agency's system`,
};
const JOB_CENTRE_STEPS: StepDescriptions<JobCentreAgencyReferralActivities> = {
  precheckAgencyReferral: () => "check the job centre's entry criteria (work permission)",
  recordAgencyReferralSent: (sent) => `record that round ${sent.round} of the referral was sent`,
  recordAgencyDecision: (delivery) => `record the agency's answer (${delivery.answer.decision.outcome})`,
};

/** The case stays with the job centre until the agency accepts, and the job centre stays responsible (§ 89 Abs. 2 SGB X). */
const OWNER: Domain = 'job-centre';
const AGENCY = DOMAIN_NAMES[GATEWAY];
const PROCESS = 'agency-referral';
/**
 * Escalation tasks (in the job centre's inbox: its team lead follows up, also with a silent agency)
 * are named per round, `<step>-round-<n>-escalation-<level>`: an inbox holds one task of a kind per handoff.
 */
const DECISION_STEP = 'agency-decision';

/**
 * P3b referral SGB II → SGB III, owned by the job centre: it checks its own entry criteria, sends the
 * referral through the gateway to the employment agency, and waits for the agency's answer, which
 * arrives as a Signal. NEEDS_INFO gives the job centre an inbox task; the information goes back to
 * the agency as a new round of the same referral. ACCEPTED or REFUSED (with a reason) ends it.
 */
export async function agencyReferral(input: AgencyReferralInput): Promise<AgencyReferralResult> {
  const { workflowId } = workflowInfo();
  const board = new HandoffBoard(input.caseRef, OWNER);
  const steps = new DomainSteps(board, input.steps);
  const gateway = steps.at(GATEWAY, GATEWAY_STEPS, AGENCY_STEP);
  const gatewayRecords = steps.at(GATEWAY, RECORD_STEPS);
  const jobCentreRecords = steps.at('job-centre', RECORD_STEPS);
  const jobCentre = steps.at('job-centre', JOB_CENTRE_STEPS);
  const decisionWithinMs = msToNumber(input.decisionWithin);
  const informationWithinMs = msToNumber(input.informationWithin);
  const resubmitEveryMs = msToNumber(input.resubmitEvery);
  let information: AgencyInformation = input.languageLevel ? { languageLevel: input.languageLevel } : {};
  let answer: AgencyAnswer | undefined;
  let supplied: (AgencyInformationSupplied & { supply: AgencyInformationSupply }) | undefined;
  /** The deadline of the step under way (null before the first and after the last). */
  let deadline: HandoffDeadline | null = null;
  let waitingSince = Date.now();

  const state: AgencyReferralState = {
    caseRef: input.caseRef,
    referralId: input.referralId,
    stage: 'PRECHECK',
    round: 0,
    waitingOn: OWNER,
    dueAt: null,
    stuck: false,
    stuckReason: null,
    escalationLevel: 0,
    workPermission: null,
    informationTaskId: null,
    missing: [],
    outcome: null,
    refusalReason: null,
  };

  function publish(stage: AgencyReferralStage, waitingOn: Domain | null, details: string): void {
    const dueAt = deadline?.dueAt ?? null;
    Object.assign(state, { stage, waitingOn, dueAt: dueAt?.toISOString() ?? null });
    board.publish(
      {
        stage,
        waitingOn,
        dueAt,
        stuckReason: state.stuckReason,
        escalationLevel: state.escalationLevel,
      },
      details,
    );
  }

  /**
   * A new step with its own deadline. Only the job centre may extend, suspend or resume it (`changeDeadline`),
   * and only while it owes the agency information (NEEDS_INFO). While the referral waits on the agency, nobody
   * may: the agency is an external system that sends no Updates, and neither the job centre nor the gateway
   * (which only relays) can grant the agency more time, so the domain waited on is null then (NoDeadline).
   */
  function startStep(stepMs: number): HandoffDeadline {
    const step = new HandoffDeadline(stepMs);
    deadline = step;
    handleDeadlineChanges(
      step,
      () => (deadline === step && state.stage === 'NEEDS_INFO' && !supplied ? OWNER : null),
      () => publish('NEEDS_INFO', OWNER, waitingForInformation()),
    );
    return step;
  }

  /** A missed deadline: stuck, one level up, one more step for that level and a task for it in the job centre's inbox. */
  async function escalate(reason: StuckReasonCode, step: HandoffDeadline, escalations: EscalationTasks, details: object): Promise<void> {
    Object.assign(state, { stuck: true, stuckReason: reason, escalationLevel: state.escalationLevel + 1 });
    step.nextStep();
    await escalations.escalate(state.escalationLevel, step.scheduledDueAt, details);
  }

  function clearStuck(): void {
    Object.assign(state, { stuck: false, stuckReason: null, escalationLevel: 0 });
  }

  function escalation(): string {
    if (state.escalationLevel === 0) return '';
    const why = state.stuckReason === 'external-silent' ? 'the agency has not answered in time' : 'deadline passed';
    return `; ${why}, escalated to the ${escalationHolder(state.escalationLevel)} (level ${state.escalationLevel})`;
  }

  function due(): string {
    if (deadline?.suspended) return 'deadline suspended';
    return `due ${plainTime(deadline?.scheduledDueAt.getTime() ?? waitingSince)}`;
  }

  function waitingForAgency(delivered: boolean): string {
    const what = delivered ? 'a decision on the referral' : 'its system to take the referral (sending again until it does)';
    return `Waiting on the ${AGENCY} for ${what}, round ${state.round}, since ${plainTime(waitingSince)}; ${due()}${escalation()}.`;
  }

  function waitingForInformation(): string {
    return (
      `The agency asked for information (${state.missing.join(', ')}); waiting on a ${DOMAIN_NAMES['job-centre']} caseworker ` +
      `since ${plainTime(waitingSince)}; ${due()}${escalation()}.`
    );
  }

  /** Set by the Update handler; read through here, since the compiler cannot see the handler run. */
  function suppliedNow(): NonNullable<typeof supplied> {
    if (!supplied) throw new Error('no information supplied');
    return supplied;
  }

  setHandler(agencyReferralState, () => state);
  setHandler(agencyAnswerReceived, (incoming: AgencyAnswer) => {
    // The gateway relays every answer it gets; an answer to an earlier round or a repeat changes nothing.
    if (answer || incoming.referralId !== input.referralId || incoming.round !== state.round || state.stage !== 'SENT') {
      return;
    }
    const problems = agencyDecisionProblems(incoming.decision);
    if (problems.length > 0) {
      log.warn('Ignoring an invalid agency answer', { caseRef: input.caseRef, problems });
      return;
    }
    answer = incoming;
  });
  setHandler(
    supplyAgencyInformation,
    (supply: AgencyInformationSupply) => {
      supplied = {
        caseRef: input.caseRef,
        taskId: supply.taskId,
        nextRound: state.round + 1,
        suppliedAt: new Date(Date.now()).toISOString(),
        supply,
      };
      const { supply: _supply, ...result } = supplied;
      return result;
    },
    {
      validator: (supply: AgencyInformationSupply) => {
        if (state.stage !== 'NEEDS_INFO' || supplied || supply.taskId !== state.informationTaskId) {
          throw ApplicationFailure.nonRetryable('No open request for information with this task ID', 'NotAwaitingInformation');
        }
        if (supply.suppliedBy?.domain !== OWNER) {
          throw ApplicationFailure.nonRetryable(`Only the ${DOMAIN_NAMES[OWNER]} supplies information for its referral`, 'WrongDomain');
        }
        const problems = agencyInformationProblems(supply.information, state.missing);
        if (problems.length > 0) {
          throw ApplicationFailure.nonRetryable(`Invalid information: ${problems.join('; ')}`, 'InvalidInformation');
        }
      },
    },
  );

  publish('PRECHECK', OWNER, `The ${DOMAIN_NAMES[OWNER]} checks its own entry criteria before referring the case to the agency.`);
  const { workPermission } = await jobCentre.precheckAgencyReferral({ workflowId, caseRef: input.caseRef });
  state.workPermission = workPermission;

  let decided: AgencyAnswer;
  for (;;) {
    state.round += 1;
    answer = undefined;
    const referral: AgencyReferral = {
      referralId: input.referralId,
      round: state.round,
      caseRef: input.caseRef,
      programme: input.programme,
      subject: input.subject,
      workPermission,
      ...information,
    };
    const flow = state.round === 1 ? AGENCY_REFERRAL_FLOWS.referral : AGENCY_REFERRAL_FLOWS.information;
    const sent = transferRecord('agency-referral', input.caseRef, flow, 'sent', referral);
    await jobCentreRecords.recordTransfer(sent);

    waitingSince = Date.now();
    const decisionDeadline = startStep(decisionWithinMs);
    const decisionEscalations = new EscalationTasks(jobCentreRecords, PROCESS, input.caseRef, `${DECISION_STEP}-round-${state.round}`);
    let delivered = false;
    const submit = () =>
      gateway.submitReferral({ workflowId, referral, receivedTransfer: received(sent, flow) }).then(() => {
        delivered = true;
      });
    let delivery = submit();
    let nextResendMs = waitingSince + resubmitEveryMs;
    let announced = false;
    publish('SENT', GATEWAY, waitingForAgency(false));

    while (!answer) {
      const escalates = decisionDeadline.mayEscalate();
      const wakeAtMs = escalates ? Math.min(decisionDeadline.scheduledDueAt.getTime(), nextResendMs) : nextResendMs;
      await condition(() => answer !== undefined || (delivered && !announced), Math.max(wakeAtMs - Date.now(), 1));
      if (answer) break;
      if (delivered && !announced) {
        announced = true;
        await jobCentre.recordAgencyReferralSent({ workflowId, caseRef: input.caseRef, round: state.round, sentAt: new Date(Date.now()).toISOString() });
        publish('SENT', GATEWAY, waitingForAgency(true));
        continue;
      }
      const now = Date.now();
      if (escalates && now >= decisionDeadline.scheduledDueAt.getTime()) {
        // The job centre's team lead (and above) follows up with the agency: the task is in the job centre's inbox.
        await escalate('external-silent', decisionDeadline, decisionEscalations, {
          referralId: input.referralId,
          round: state.round,
          waitingOn: GATEWAY,
          delivered,
        });
        publish('SENT', GATEWAY, waitingForAgency(delivered));
        if (answer) break;
      }
      if (now >= nextResendMs) {
        nextResendMs = now + resubmitEveryMs;
        if (delivered) {
          // The agency may have lost it (its system restarted): the same referral and round again.
          delivered = false;
          announced = true;
          delivery = submit();
        }
      }
    }
    await delivery;
    decided = answer;
    clearStuck();

    const decision = decided.decision;
    const decisionFlow = decision.outcome === 'NEEDS_INFO' ? AGENCY_REFERRAL_FLOWS.informationRequest : AGENCY_REFERRAL_FLOWS.decision;
    const decisionSent = transferRecord('agency-referral', input.caseRef, decisionFlow, 'sent', decision);
    await gatewayRecords.recordTransfer(decisionSent);
    await jobCentre.recordAgencyDecision({
      workflowId,
      caseRef: input.caseRef,
      answer: decided,
      receivedTransfer: received(decisionSent, decisionFlow),
    });
    await decisionEscalations.closeAll('completed', { outcome: decision.outcome, decidedAt: decided.decidedAt });
    if (decision.outcome !== 'NEEDS_INFO') break;

    // NEEDS_INFO: the job centre's caseworker supplies it; the referral goes again as the next round.
    supplied = undefined;
    waitingSince = Date.now();
    const informationDeadline = startStep(informationWithinMs);
    const informationEscalations = new EscalationTasks(
      jobCentreRecords,
      PROCESS,
      input.caseRef,
      `${AGENCY_INFORMATION_TASK}-round-${state.round}`,
    );
    const taskId = uuid4();
    state.missing = decision.missing ?? [];
    state.informationTaskId = taskId;
    await jobCentreRecords.openInboxTask({
      taskId,
      workflowId,
      caseRef: input.caseRef,
      process: PROCESS,
      kind: AGENCY_INFORMATION_TASK,
      dueAt: informationDeadline.scheduledDueAt.toISOString(),
      details: { programme: input.programme, referralId: input.referralId, round: state.round, missing: state.missing },
    });
    publish('NEEDS_INFO', OWNER, waitingForInformation());
    while (!(await informationDeadline.waitFor(() => supplied !== undefined))) {
      await escalate('deadline-passed', informationDeadline, informationEscalations, {
        informationTaskId: taskId,
        referralId: input.referralId,
        round: state.round,
        missing: state.missing,
      });
      publish('NEEDS_INFO', OWNER, waitingForInformation());
    }
    clearStuck();
    const { supply, suppliedAt } = suppliedNow();
    information = { ...information, ...supply.information };
    await jobCentreRecords.closeInboxTask({
      workflowId,
      kind: AGENCY_INFORMATION_TASK,
      state: 'completed',
      completedBy: supply.suppliedBy,
      resolution: { supplied: Object.keys(supply.information).sort() },
      closedAt: suppliedAt,
    });
    await informationEscalations.closeAll('completed', { supplied: Object.keys(supply.information).sort() }, supply.suppliedBy);
    Object.assign(state, { informationTaskId: null, missing: [] });
  }

  const outcome = decided.decision.outcome === 'ACCEPTED' ? 'ACCEPTED' : 'REFUSED';
  const result: AgencyReferralResult = {
    caseRef: input.caseRef,
    referralId: input.referralId,
    outcome,
    refusalReason: decided.decision.refusalReason ?? null,
    rounds: state.round,
    decidedAt: decided.decidedAt,
  };
  Object.assign(state, { outcome, refusalReason: result.refusalReason });
  deadline = null;
  publish(
    outcome,
    null,
    outcome === 'ACCEPTED'
      ? `Accepted by the ${AGENCY} on ${plainTime(Date.parse(result.decidedAt))}: the programme passes to the agency; the job centre stays responsible for the case.`
      : `Refused by the ${AGENCY} on ${plainTime(Date.parse(result.decidedAt))} (reason: ${result.refusalReason}); the case stays fully with the job centre.`,
  );
  await condition(allHandlersFinished);
  return result;
}
