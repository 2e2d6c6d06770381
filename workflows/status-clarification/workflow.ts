import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  log,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import {
  AGENCY_CONSENT_FLOWS,
  DOMAIN_NAMES,
  TRANSFER_FLOWS,
  agencyConsentAnswerProblems,
  answerProblems,
  outcomeOf,
  slaFor,
  type AgencyConsentAnswer,
  type AgencyConsentGatewayActivities,
  type AgencyConsentRequest,
  type Domain,
  type ImmigrationRegisterActivities,
  type JobCentreStatusActivities,
  type StatusClarificationAnswered,
  type StatusClarificationInput,
  type StatusClarificationResult,
  type StatusClarificationStage,
  STATUS_CLARIFICATION_TASKS,
  type StatusClarificationState,
  type StatusClarificationWithdrawal,
  type StatusClarificationWithdrawn,
  type StatusInquiryDecision,
} from '@handoffs/contracts';
import { HandoffDeadline, handleDeadlineChanges } from '../shared/deadline';
import { EscalationTasks } from '../shared/escalation-tasks';
import { escalationHolder, plainTime } from '../shared/escalation';
import { HandoffBoard } from '../shared/handoff-visibility';
import { AGENCY_STEP, DomainSteps, RECORD_STEPS, type StepDescriptions } from '../shared/steps';
import { received, transferRecord } from '../shared/transfers';
import { agencyConsentAnswered, answerStatusInquiry, statusClarificationState, withdrawStatusClarification } from '@handoffs/workflows/messages';

const GATEWAY: Domain = 'employment-agency-gateway';

const REGISTER_STEPS: StepDescriptions<ImmigrationRegisterActivities> = {
  findCurrentStatus: () => 'look up the residence register for a current status',
};
const JOB_CENTRE_STEPS: StepDescriptions<JobCentreStatusActivities> = {
  deliverStatusAnswer: (delivery) => `record the answer (${delivery.outcome}) in the job centre's case`,
};
const CONSENT_STEPS: StepDescriptions<AgencyConsentGatewayActivities> = {
  requestAgencyConsent: () => "send the request for consent to the employment agency's system",
};

const OWNER: Domain = 'immigration';
const PROCESS = 'status-clarification';
const { inquiry: INQUIRY_TASK, recheck: RECHECK_TASK, statusChange: STATUS_CHANGE_TASK } = STATUS_CLARIFICATION_TASKS;
const REGISTER = { domain: OWNER, caseworkerId: 'register' } as const;

/**
 * P1 status clarification (Statusklärung), owned by the immigration office: the job centre asks
 * whether a person's residence status allows work. A current record in the immigration office's
 * register answers at once when it clears the person; otherwise an immigration caseworker answers.
 * The answer lands in the job centre's records, and the job centre gets a re-check task before the
 * status expires. Both sides log each transfer of personal data.
 */
export async function statusClarification(input: StatusClarificationInput): Promise<StatusClarificationResult> {
  const { workflowId } = workflowInfo();
  const board = new HandoffBoard(input.caseRef, OWNER);
  const steps = new DomainSteps(board, input.steps);
  const immigrationRecords = steps.at('immigration', RECORD_STEPS);
  const immigrationRegister = steps.at('immigration', REGISTER_STEPS);
  const jobCentreRecords = steps.at('job-centre', RECORD_STEPS);
  const jobCentre = steps.at('job-centre', JOB_CENTRE_STEPS);
  const socialServicesRecords = steps.at('social-services', RECORD_STEPS);
  const agencyGateway = steps.at(GATEWAY, CONSENT_STEPS, AGENCY_STEP);
  const askedSince = Date.now();
  const deadline = new HandoffDeadline(msToNumber(input.answerWithin));
  const inquiryTaskId = uuid4();
  const escalations = new EscalationTasks(immigrationRecords, PROCESS, input.caseRef, INQUIRY_TASK);
  let inquiryTaskOpened = false;
  let answered: StatusClarificationAnswered | undefined;
  let withdrawn: StatusClarificationWithdrawn | undefined;
  let consentRequestId: string | undefined;
  let consentAnswer: AgencyConsentAnswer | undefined;

  const state: StatusClarificationState = {
    caseRef: input.caseRef,
    stage: 'REQUESTED',
    waitingOn: 'job-centre',
    dueAt: deadline.dueAt?.toISOString() ?? '',
    stuck: false,
    escalationLevel: 0,
    deadline: deadline.view(),
    outcome: null,
    answeredBy: null,
    answer: null,
  };
  const awaitingAnswer = () => state.stage === 'REQUESTED' || state.stage === 'ABH_ASKED';

  function publish(stage: StatusClarificationStage, waitingOn: Domain | null, details: string, dueAt = deadline.dueAt): void {
    Object.assign(state, { stage, waitingOn, dueAt: dueAt?.toISOString() ?? '', deadline: deadline.view() });
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

  function waitingForAnswer(): string {
    const due = deadline.suspended ? 'deadline suspended' : `due ${plainTime(deadline.scheduledDueAt.getTime())}`;
    const escalation =
      state.escalationLevel > 0
        ? `; deadline passed, escalated to the ${escalationHolder(state.escalationLevel)} (level ${state.escalationLevel})`
        : '';
    return `Waiting on the ${DOMAIN_NAMES.immigration} for an answer on the work permission since ${plainTime(askedSince)}; ${due}${escalation}.`;
  }

  setHandler(statusClarificationState, () => ({ ...state, deadline: deadline.view() }));
  setHandler(
    answerStatusInquiry,
    (decision: StatusInquiryDecision) => {
      answered = {
        caseRef: input.caseRef,
        outcome: outcomeOf(decision.answer),
        answer: decision.answer,
        answeredBy: decision.answeredBy,
        answeredAt: new Date(Date.now()).toISOString(),
        answeredFrom: 'caseworker',
      };
      Object.assign(state, { outcome: answered.outcome, answer: answered.answer, answeredBy: answered.answeredBy });
      return answered;
    },
    {
      validator: (decision: StatusInquiryDecision) => {
        if (answered) throw ApplicationFailure.nonRetryable('The inquiry is already answered', 'AlreadyAnswered');
        if (withdrawn) throw ApplicationFailure.nonRetryable('The job centre has withdrawn the inquiry', 'Withdrawn');
        if (decision.taskId !== inquiryTaskId) {
          throw ApplicationFailure.nonRetryable('No open inquiry task with this ID', 'NotAwaitingAnswer');
        }
        if (decision.answeredBy?.domain !== OWNER) {
          throw ApplicationFailure.nonRetryable(`Only the ${DOMAIN_NAMES.immigration} answers a status inquiry`, 'WrongDomain');
        }
        const problems = answerProblems(decision.answer, input.inquiry);
        if (problems.length > 0) {
          throw ApplicationFailure.nonRetryable(`Invalid answer: ${problems.join('; ')}`, 'InvalidAnswer');
        }
      },
    },
  );
  setHandler(agencyConsentAnswered, (incoming: AgencyConsentAnswer) => {
    // The gateway relays what the agency sends; only the first answer to this workflow's request counts.
    if (consentAnswer || !consentRequestId || incoming.consentRequestId !== consentRequestId) return;
    const problems = agencyConsentAnswerProblems(incoming);
    if (problems.length > 0) {
      log.warn('Ignoring an invalid consent answer from the agency', { caseRef: input.caseRef, problems });
      return;
    }
    consentAnswer = incoming;
  });
  setHandler(
    withdrawStatusClarification,
    (withdrawal: StatusClarificationWithdrawal) => {
      withdrawn = { caseRef: input.caseRef, outcome: 'WITHDRAWN', withdrawal, withdrawnAt: new Date(Date.now()).toISOString() };
      state.outcome = 'WITHDRAWN';
      return withdrawn;
    },
    {
      validator: (withdrawal: StatusClarificationWithdrawal) => {
        if (withdrawal.withdrawnBy?.domain !== 'job-centre') {
          throw ApplicationFailure.nonRetryable(`Only the ${DOMAIN_NAMES['job-centre']}, which asked, withdraws the inquiry`, 'WrongDomain');
        }
        if (!withdrawal.reason || withdrawal.reason.trim().length < 3) {
          throw ApplicationFailure.nonRetryable('A withdrawal needs a reason', 'InvalidWithdrawal');
        }
        if (answered || !awaitingAnswer()) throw ApplicationFailure.nonRetryable('The inquiry is already answered', 'AlreadyAnswered');
        if (withdrawn) throw ApplicationFailure.nonRetryable('The inquiry is already withdrawn', 'Withdrawn');
      },
    },
  );
  handleDeadlineChanges(
    deadline,
    () => (awaitingAnswer() && !answered && !withdrawn ? OWNER : null),
    () => publish(state.stage, state.waitingOn as Domain | null, waitingForAnswer()),
  );

  async function closeOpenTasks(outcome: 'completed' | 'withdrawn', resolution: object, completedBy?: StatusInquiryDecision['answeredBy']) {
    const closedAt = new Date(Date.now()).toISOString();
    if (inquiryTaskOpened) {
      await immigrationRecords.closeInboxTask({ workflowId, kind: INQUIRY_TASK, state: outcome, completedBy, resolution, closedAt });
    }
    await escalations.closeAll(outcome, resolution, completedBy);
  }

  /**
   * P1 step 4: the immigration office asks the employment agency for its consent through the gateway.
   * Consent clears the person; an objection (the agency's decision, with its reason) blocks; no
   * objection within the period means the consent is deemed given (§ 36 Abs. 2 BeschV).
   */
  async function askAgencyForConsent(
    caseworkerAnswer: StatusClarificationAnswered,
    plannedEmployment: NonNullable<StatusClarificationInput['inquiry']['plannedEmployment']>,
  ): Promise<StatusClarificationAnswered> {
    const within = msToNumber(input.agencyConsentWithin ?? slaFor('ba-consent', input.requestedAt));
    consentRequestId = uuid4();
    const request: AgencyConsentRequest = {
      consentRequestId,
      caseRef: input.caseRef,
      subject: input.inquiry.subject,
      plannedEmployment,
      residenceDocument: caseworkerAnswer.answer.residenceDocument,
      legalBasis: caseworkerAnswer.answer.legalBasis,
    };
    const consentDetails = (requestedAt: number) =>
      `Waiting on the ${DOMAIN_NAMES[GATEWAY]} for its consent to the employment (§ 39 AufenthG) since ${plainTime(requestedAt)}; deemed given ${plainTime(requestedAt + within)} unless it objects (§ 36 Abs. 2 BeschV).`;
    publish('BA_CONSENT_PENDING', GATEWAY, consentDetails(Date.now()), new Date(Date.now() + within));
    const requestSent = transferRecord(PROCESS, input.caseRef, AGENCY_CONSENT_FLOWS.consentRequest, 'sent', request);
    await immigrationRecords.recordTransfer(requestSent);
    await agencyGateway.requestAgencyConsent({
      workflowId,
      request,
      receivedTransfer: received(requestSent, AGENCY_CONSENT_FLOWS.consentRequest),
    });
    // The two weeks run from the request the agency has received.
    const requestedAt = Date.now();
    publish('BA_CONSENT_PENDING', GATEWAY, consentDetails(requestedAt), new Date(requestedAt + within));
    const answeredInTime = await condition(() => consentAnswer !== undefined, Math.max(requestedAt + within - Date.now(), 1));
    const agency = answeredInTime ? consentAnswer : undefined;
    const decided: StatusClarificationAnswered['answer'] = agency
      ? {
          ...caseworkerAnswer.answer,
          agencyConsent: agency.outcome === 'CONSENT' ? 'given' : 'objected',
          agencyDecision: {
            decidedBy: agency.decidedBy,
            decidedAt: agency.decidedAt,
            ...(agency.objectionReason ? { objectionReason: agency.objectionReason } : {}),
          },
        }
      : { ...caseworkerAnswer.answer, agencyConsent: 'deemed', agencyDecision: { decidedBy: null, decidedAt: new Date(Date.now()).toISOString() } };
    return { ...caseworkerAnswer, outcome: outcomeOf(decided), answer: decided };
  }

  /**
   * STATUS_CHANGE: the person's new status ends AsylbLG entitlement, so social services gets a task
   * to start the legal-domain transfer (P3a) with its own benefit facts (§ 90 Abs. 3 AufenthG).
   */
  async function noticeStatusChange(answer: StatusClarificationAnswered): Promise<void> {
    const notice = { recognition: answer.answer.statusChange, residenceDocument: answer.answer.residenceDocument, validFrom: answer.answer.validFrom };
    publish('ANSWERED', 'social-services', `Status change (${answer.answer.statusChange?.kind}): telling the ${DOMAIN_NAMES['social-services']} to start the legal-domain transfer.`);
    const noticeSent = transferRecord(PROCESS, input.caseRef, TRANSFER_FLOWS.statusChangeNotice, 'sent', notice);
    await immigrationRecords.recordTransfer(noticeSent);
    await socialServicesRecords.openInboxTask({
      taskId: uuid4(),
      workflowId,
      caseRef: input.caseRef,
      process: PROCESS,
      kind: STATUS_CHANGE_TASK,
      dueAt: new Date(Date.now() + msToNumber(input.statusChangeReportWithin ?? '5 days')).toISOString(),
      details: { ...notice, nextStep: 'Report the recognition: POST /legal-domain-transfers' },
      receivedTransfer: received(noticeSent, TRANSFER_FLOWS.statusChangeNotice),
    });
  }

  publish('REQUESTED', 'job-centre', `The ${DOMAIN_NAMES['job-centre']} is sending its inquiry.`);
  const inquirySent = transferRecord(PROCESS, input.caseRef, TRANSFER_FLOWS.statusInquiry, 'sent', input.inquiry);
  await jobCentreRecords.recordTransfer(inquirySent);
  await immigrationRecords.recordTransfer(received(inquirySent, TRANSFER_FLOWS.statusInquiry));

  // Fast path: a current record that clears the person answers without anyone having to look.
  // A record that would refuse goes to a caseworker: adverse answers come from a person.
  const onRecord = await immigrationRegister.findCurrentStatus(input.inquiry.subject, input.inquiry.questions);
  if (onRecord && !answered && !withdrawn && ['CLEARED', 'CLEARED_WITH_RESTRICTION'].includes(outcomeOf(onRecord))) {
    answered = {
      caseRef: input.caseRef,
      outcome: outcomeOf(onRecord),
      answer: onRecord,
      answeredBy: REGISTER,
      answeredAt: new Date(Date.now()).toISOString(),
      answeredFrom: 'register',
    };
    Object.assign(state, { outcome: answered.outcome, answer: answered.answer, answeredBy: answered.answeredBy });
  }

  if (!answered && !withdrawn) {
    await immigrationRecords.openInboxTask({
      taskId: inquiryTaskId,
      workflowId,
      caseRef: input.caseRef,
      process: PROCESS,
      kind: INQUIRY_TASK,
      dueAt: deadline.scheduledDueAt.toISOString(),
      details: { requestedBy: input.requestedBy, requestedAt: input.requestedAt, inquiry: input.inquiry },
    });
    inquiryTaskOpened = true;
    // An answer may already be in: the caseworker can see the task the moment it is written.
    publish('ABH_ASKED', OWNER, waitingForAnswer());

    while (!(await deadline.waitFor(() => answered !== undefined || withdrawn !== undefined))) {
      state.stuck = true;
      state.escalationLevel += 1;
      deadline.nextStep();
      await escalations.escalate(state.escalationLevel, deadline.scheduledDueAt, { inquiryTaskId });
      publish('ABH_ASKED', OWNER, waitingForAnswer());
    }
  }
  state.stuck = false;

  if (withdrawn) {
    await closeOpenTasks('withdrawn', { withdrawn: withdrawn.withdrawal.reason });
    publish('WITHDRAWN', null, `Withdrawn by the ${DOMAIN_NAMES['job-centre']} ${plainTime(Date.parse(withdrawn.withdrawnAt))}.`, null);
    await condition(allHandlersFinished);
    return withdrawn;
  }

  let answer = answered as StatusClarificationAnswered;
  let tasksClosed = false;
  if (answer.answer.agencyConsent === 'required' && input.inquiry.plannedEmployment) {
    // The caseworker's part is done: close their tasks now, then wait on the agency (§ 39 AufenthG).
    await closeOpenTasks('completed', { outcome: answer.outcome, answer: answer.answer }, answer.answeredBy);
    tasksClosed = true;
    answer = await askAgencyForConsent(answer, input.inquiry.plannedEmployment);
    answered = answer;
    Object.assign(state, { outcome: answer.outcome, answer: answer.answer });
  }

  publish('ANSWERED', 'job-centre', `Answered (${answer.outcome}); recording the answer at the ${DOMAIN_NAMES['job-centre']}.`);
  const answerSent = transferRecord(PROCESS, input.caseRef, TRANSFER_FLOWS.statusAnswer, 'sent', answer.answer);
  await immigrationRecords.recordTransfer(answerSent);
  await jobCentre.deliverStatusAnswer({
    workflowId,
    caseRef: input.caseRef,
    outcome: answer.outcome,
    answer: answer.answer,
    answeredBy: answer.answeredBy,
    answeredAt: answer.answeredAt,
    receivedTransfer: received(answerSent, TRANSFER_FLOWS.statusAnswer),
  });
  if (!tasksClosed) {
    await closeOpenTasks('completed', { outcome: answer.outcome, answer: answer.answer }, answer.answeredBy);
  }
  if (answer.answer.statusChange) {
    await noticeStatusChange(answer);
  }

  // Every status record carries a re-check task before it expires (DOMAIN.md P1).
  const recheckAt = new Date(Date.parse(`${answer.answer.validUntil}T00:00:00Z`) - msToNumber(input.recheckBefore));
  publish(
    'RECHECK_SCHEDULED',
    null,
    `Answered ${answer.outcome} ${plainTime(Date.parse(answer.answeredAt))}; the ${DOMAIN_NAMES['job-centre']} re-checks from ${plainTime(recheckAt.getTime())}, before the status expires on ${answer.answer.validUntil}.`,
    recheckAt,
  );
  await sleep(Math.max(recheckAt.getTime() - Date.now(), 1));
  await jobCentreRecords.openInboxTask({
    taskId: uuid4(),
    workflowId,
    caseRef: input.caseRef,
    process: PROCESS,
    kind: RECHECK_TASK,
    dueAt: `${answer.answer.validUntil}T00:00:00.000Z`,
    details: { outcome: answer.outcome, validUntil: answer.answer.validUntil, residenceDocument: answer.answer.residenceDocument },
  });
  publish('CLOSED', null, `Closed: ${answer.outcome}; the re-check task is in the ${DOMAIN_NAMES['job-centre']}'s inbox, due ${answer.answer.validUntil}.`, null);

  await condition(allHandlersFinished);
  return answer;
}
