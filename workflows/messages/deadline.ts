import { defineUpdate } from '@temporalio/workflow';
import type { DeadlineChangeRequest, DeadlineView } from '@handoffs/contracts';

/** Extends, suspends or resumes the current deadline of a handoff, with a reason (any process). */
export const changeDeadline = defineUpdate<DeadlineView, [DeadlineChangeRequest]>('changeDeadline');
