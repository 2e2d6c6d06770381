import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  StatusClarificationInput,
  StatusClarificationResult,
  AgencyConsentAnswer,
  StatusClarificationAnswered,
  StatusClarificationState,
  StatusClarificationWithdrawal,
  StatusClarificationWithdrawn,
  StatusInquiryDecision,
} from '@handoffs/contracts';
import { defineWorkflowType } from './workflow-type';

/** The process as services start it (the job centre starts it, the immigration office hosts it). */
export const statusClarificationWorkflow = defineWorkflowType<(input: StatusClarificationInput) => Promise<StatusClarificationResult>>('statusClarification');

/** The immigration office's caseworker answers the inquiry. Rejected at once by its validator if invalid. */
export const answerStatusInquiry = defineUpdate<StatusClarificationAnswered, [StatusInquiryDecision]>('answerStatusInquiry');

/** The job centre takes its inquiry back, with a reason, until the answer is in. */
export const withdrawStatusClarification = defineUpdate<StatusClarificationWithdrawn, [StatusClarificationWithdrawal]>(
  'withdrawStatusClarification',
);

export const statusClarificationState = defineQuery<StatusClarificationState>('statusClarificationState');

/** The employment agency's consent or objection, relayed by the gateway when it arrives over the transport (a Signal). */
export const agencyConsentAnswered = defineSignal<[AgencyConsentAnswer]>('agencyConsentAnswered');
