import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  StatusClarificationResult,
  StatusClarificationState,
  StatusInquiryDecision,
} from '@handoffs/contracts';

/** The immigration office's caseworker answers the inquiry. Rejected at once by its validator if invalid. */
export const answerStatusInquiry = defineUpdate<StatusClarificationResult, [StatusInquiryDecision]>(
  'answerStatusInquiry',
);

export const statusClarificationState = defineQuery<StatusClarificationState>('statusClarificationState');
