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

/**
 * The workflow type services start the process by, and its signature: the job centre starts it, the immigration office hosts it.
 * The workflow itself is in workflows/status-clarification/workflow.ts; services import this, never the workflow code.
 */
export const statusClarificationWorkflow = 'statusClarification';
export type StatusClarificationWorkflow = (input: StatusClarificationInput) => Promise<StatusClarificationResult>;

/** The immigration office's caseworker answers the inquiry. Rejected at once by its validator if invalid. */
export const answerStatusInquiry = defineUpdate<StatusClarificationAnswered, [StatusInquiryDecision]>('answerStatusInquiry');

/** The job centre takes its inquiry back, with a reason, until the answer is in. */
export const withdrawStatusClarification = defineUpdate<StatusClarificationWithdrawn, [StatusClarificationWithdrawal]>(
  'withdrawStatusClarification',
);

export const statusClarificationState = defineQuery<StatusClarificationState>('statusClarificationState');

/** The employment agency's consent or objection, relayed by the gateway when it arrives over the transport (a Signal). */
export const agencyConsentAnswered = defineSignal<[AgencyConsentAnswer]>('agencyConsentAnswered');
