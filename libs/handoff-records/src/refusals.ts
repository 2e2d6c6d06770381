import { BadRequestException, HttpException, HttpStatus, NotFoundException } from '@nestjs/common';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';

/** A 409 whose body carries what is already recorded. */
export function conflictWith(detail: string, recorded: Record<string, unknown>): HttpException {
  return new HttpException({ title: 'Conflict with recorded state', detail, ...recorded }, HttpStatus.CONFLICT);
}

/** The type of the workflow's refusal of an Update (its validator's `ApplicationFailure`), if that is what `error` is. */
export function refusalType(error: unknown): string | undefined {
  const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

/**
 * Turns a workflow's refusal of an Update into the HTTP answer a caller expects: the validator's
 * reason as the detail; a refusal whose type is in `conflicts` (already decided, withdrawn, …) is a
 * 409, any other a 400; a handoff that does not exist (any more) is a 404. Anything else is rethrown.
 */
export function updateRefusal(error: unknown, conflicts: readonly string[], recorded: Record<string, unknown> = {}): Error {
  if (error instanceof WorkflowNotFoundError) {
    return new NotFoundException('No such handoff, or it has ended');
  }
  const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  if (!(cause instanceof ApplicationFailure)) {
    return error as Error;
  }
  if (cause.type && conflicts.includes(cause.type)) {
    return conflictWith(cause.message, { refusal: cause.type, ...recorded });
  }
  return new BadRequestException({ title: 'The decision was refused', detail: cause.message, refusal: cause.type });
}
