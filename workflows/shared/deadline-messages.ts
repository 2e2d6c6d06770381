import { defineUpdate } from '@temporalio/workflow';
import { CHANGE_DEADLINE_UPDATE, type DeadlineChangeRequest, type DeadlineView } from '@handoffs/contracts';

/** Extends, suspends or resumes the current deadline of a handoff, with a reason (any process). */
export const changeDeadline = defineUpdate<DeadlineView, [DeadlineChangeRequest]>(CHANGE_DEADLINE_UPDATE);
