import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  StatusClarificationAnswered,
  StatusClarificationState,
  StatusClarificationWithdrawal,
  StatusClarificationWithdrawn,
  StatusInquiryDecision,
} from '@handoffs/contracts';

/** The immigration office's caseworker answers the inquiry. Rejected at once by its validator if invalid. */
export const answerStatusInquiry = defineUpdate<StatusClarificationAnswered, [StatusInquiryDecision]>('answerStatusInquiry');

/** The job centre takes its inquiry back, with a reason, until the answer is in. */
export const withdrawStatusClarification = defineUpdate<StatusClarificationWithdrawn, [StatusClarificationWithdrawal]>(
  'withdrawStatusClarification',
);

export const statusClarificationState = defineQuery<StatusClarificationState>('statusClarificationState');
