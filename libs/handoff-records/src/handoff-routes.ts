import { applyDecorators, BadRequestException, HttpCode, ParseUUIDPipe, Post, type Type } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse } from '@nestjs/swagger';

/**
 * Every inbox route of every domain: `inbox/tasks`, one task at `inbox/tasks/:taskId`, and what a
 * caseworker does with it at `inbox/tasks/:taskId/<action>` (claim, answer, decision, …).
 */
export function inboxTaskRoute(action?: string): string {
  return action ? `inbox/tasks/:taskId/${action}` : 'inbox/tasks/:taskId';
}

export const INBOX_TASKS_ROUTE = 'inbox/tasks';

/**
 * Checks the `taskId` path parameter; a bad one is a 400 naming it, in the problem shape of
 * service-kit's invalidRequest (which this library cannot import).
 */
export function taskIdPipe(): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      new BadRequestException({ title: 'The request is invalid', detail: 'Check taskId', errors: [{ field: 'taskId', problems: ['taskId must be a UUID'] }] }),
  });
}

/**
 * A route on which a caseworker completes a task of their inbox (`POST inbox/tasks/:taskId/<action>`),
 * with the answers every such route gives (see Handoffs.completeTask).
 */
export function CompletesTask(action: string, answer: { type: Type; what: string }): MethodDecorator {
  return applyDecorators(
    Post(inboxTaskRoute(action)),
    HttpCode(200),
    ApiOkResponse({ type: answer.type }),
    ApiBadRequestResponse({ description: `Invalid ${answer.what} (application/problem+json naming each bad field), or the workflow's reason for refusing it` }),
    ApiNotFoundResponse({ description: 'No such task in this domain' }),
    ApiConflictResponse({ description: 'Already completed or withdrawn, or claimed by someone else; the body carries the recorded task' }),
  );
}

/**
 * A route on which a domain records a request and starts its handoff (see Handoffs.recordAndStart):
 * 202 when recorded now, 200 for the same request again.
 */
export function StartsHandoff(route: string, answer: { type: Type; what: string }): MethodDecorator {
  return applyDecorators(
    Post(route),
    ApiAcceptedResponse({ type: answer.type, description: 'Recorded, and its handoff started' }),
    ApiOkResponse({ type: answer.type, description: 'The same request again: the one recorded before, and its handoff' }),
    ApiBadRequestResponse({ description: `Invalid ${answer.what} (application/problem+json naming each bad field)` }),
    ApiConflictResponse({ description: `A different ${answer.what} is recorded for this case reference; the body carries it` }),
  );
}
