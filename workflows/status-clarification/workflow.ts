import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import {
  DOMAIN_NAMES,
  TRANSFER_FLOWS,
  answerProblems,
  outcomeOf,
  taskQueueOf,
  type Domain,
  type HandoffRecordActivities,
  type JobCentreStatusActivities,
  type StatusClarificationInput,
  type StatusClarificationResult,
  type StatusClarificationStage,
  type StatusClarificationState,
  type StatusInquiryDecision,
} from '@handoffs/contracts';
import { escalationHolder, plainTime } from '../shared/escalation';
import { publishHandoff } from '../shared/handoff-visibility';
import { received, transferRecord } from '../shared/transfers';
import { answerStatusInquiry, statusClarificationState } from './messages';

const recordingStep = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;

const immigrationRecords = proxyActivities<HandoffRecordActivities>({
  taskQueue: taskQueueOf('immigration'),
  ...recordingStep,
});
const jobCentreRecords = proxyActivities<HandoffRecordActivities>({
  taskQueue: taskQueueOf('job-centre'),
  ...recordingStep,
});
const jobCentre = proxyActivities<JobCentreStatusActivities>({
  taskQueue: taskQueueOf('job-centre'),
  ...recordingStep,
});

const OWNER: Domain = 'immigration';
const INQUIRY_TASK = 'status-inquiry';

/**
 * P1 status clarification (Statusklärung), owned by the immigration office: the job centre asks
 * whether a person's residence status allows work; an immigration caseworker answers; the answer
 * lands in the job centre's records. Both sides log each transfer of personal data.
 */
export async function statusClarification(input: StatusClarificationInput): Promise<StatusClarificationResult> {
  const { workflowId } = workflowInfo();
  const answerWithinMs = msToNumber(input.answerWithin);
  const askedSince = Date.now();
  let dueAtMs = askedSince + answerWithinMs;
  const inquiryTaskId = uuid4();
  let result: StatusClarificationResult | undefined;

  const state: StatusClarificationState = {
    caseRef: input.caseRef,
    stage: 'REQUESTED',
    waitingOn: 'job-centre',
    dueAt: new Date(dueAtMs).toISOString(),
    stuck: false,
    escalationLevel: 0,
    outcome: null,
    answeredBy: null,
    answer: null,
  };

  function publish(stage: StatusClarificationStage, waitingOn: Domain | null, details: string): void {
    Object.assign(state, { stage, waitingOn, dueAt: new Date(dueAtMs).toISOString() });
    publishHandoff(
      {
        caseRef: input.caseRef,
        owner: OWNER,
        stage,
        waitingOn,
        dueAt: new Date(dueAtMs),
        stuckReason: state.stuck ? 'deadline-passed' : null,
        escalationLevel: state.escalationLevel,
      },
      details,
    );
  }

  function waitingForAnswer(): string {
    const escalation =
      state.escalationLevel > 0
        ? `; deadline passed, escalated to the ${escalationHolder(state.escalationLevel)} (level ${state.escalationLevel})`
        : '';
    return (
      `Waiting on the ${DOMAIN_NAMES.immigration} for an answer on the work permission since ${plainTime(askedSince)}; ` +
      `due ${plainTime(dueAtMs)}${escalation}.`
    );
  }

  setHandler(statusClarificationState, () => state);
  setHandler(
    answerStatusInquiry,
    (decision: StatusInquiryDecision) => {
      result = {
        caseRef: input.caseRef,
        outcome: outcomeOf(decision.answer),
        answer: decision.answer,
        answeredBy: decision.answeredBy,
        answeredAt: new Date(Date.now()).toISOString(),
      };
      Object.assign(state, { outcome: result.outcome, answer: result.answer, answeredBy: result.answeredBy });
      return result;
    },
    {
      validator: (decision: StatusInquiryDecision) => {
        if (result) {
          throw ApplicationFailure.nonRetryable('The inquiry is already answered', 'AlreadyAnswered');
        }
        if (decision.taskId !== inquiryTaskId) {
          throw ApplicationFailure.nonRetryable('No open inquiry task with this ID', 'NotAwaitingAnswer');
        }
        if (decision.answeredBy?.domain !== OWNER) {
          throw ApplicationFailure.nonRetryable(
            `Only the ${DOMAIN_NAMES.immigration} answers a status inquiry`,
            'WrongDomain',
          );
        }
        const problems = answerProblems(decision.answer);
        if (problems.length > 0) {
          throw ApplicationFailure.nonRetryable(`Invalid answer: ${problems.join('; ')}`, 'InvalidAnswer');
        }
      },
    },
  );

  publish('REQUESTED', 'job-centre', `The ${DOMAIN_NAMES['job-centre']} is sending its inquiry.`);
  const inquirySent = transferRecord('status-clarification', input.caseRef, TRANSFER_FLOWS.statusInquiry, 'sent', input.inquiry);
  await jobCentreRecords.recordTransfer(inquirySent);
  await immigrationRecords.openInboxTask({
    taskId: inquiryTaskId,
    workflowId,
    caseRef: input.caseRef,
    process: 'status-clarification',
    kind: INQUIRY_TASK,
    dueAt: new Date(dueAtMs).toISOString(),
    details: { requestedBy: input.requestedBy, requestedAt: input.requestedAt, inquiry: input.inquiry },
    receivedTransfer: received(inquirySent, TRANSFER_FLOWS.statusInquiry),
  });
  // An answer may already be in: the caseworker can see the task the moment it is written.
  publish('ABH_ASKED', OWNER, waitingForAnswer());

  while (!result) {
    const answered = await condition(() => result !== undefined, Math.max(dueAtMs - Date.now(), 1));
    if (!answered) {
      state.stuck = true;
      state.escalationLevel += 1;
      dueAtMs += answerWithinMs;
      publish('ABH_ASKED', OWNER, waitingForAnswer());
    }
  }

  state.stuck = false;
  publish('ANSWERED', 'job-centre', `Answered (${result.outcome}); recording the answer at the ${DOMAIN_NAMES['job-centre']}.`);
  const answerSent = transferRecord('status-clarification', input.caseRef, TRANSFER_FLOWS.statusAnswer, 'sent', result.answer);
  await immigrationRecords.recordTransfer(answerSent);
  await jobCentre.deliverStatusAnswer({
    workflowId,
    caseRef: input.caseRef,
    outcome: result.outcome,
    answer: result.answer,
    answeredBy: result.answeredBy,
    answeredAt: result.answeredAt,
    receivedTransfer: received(answerSent, TRANSFER_FLOWS.statusAnswer),
  });
  await immigrationRecords.closeInboxTask({
    workflowId,
    kind: INQUIRY_TASK,
    state: 'completed',
    completedBy: result.answeredBy,
    resolution: { outcome: result.outcome, answer: result.answer },
    closedAt: result.answeredAt,
  });
  publish('CLOSED', null, `Closed: ${result.outcome}, answered ${plainTime(Date.parse(result.answeredAt))}.`);

  await condition(allHandlersFinished);
  return result;
}
