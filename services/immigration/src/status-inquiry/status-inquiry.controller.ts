import { Body, Controller, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import type { Actor } from '@handoffs/contracts';
import { InboxTask, inboxTaskView, recordedCompletion, taskIdPipe } from '@handoffs/handoff-records';
import { conflictWith, updateRefusal } from '@handoffs/service-kit';
import { TemporalWorkerHost } from '@handoffs/temporal';
import { answerStatusInquiry } from '@handoffs/workflows/messages';
import { AnswerStatusInquiryDto, StatusInquiryAnsweredView } from './status-answer.dto';

const STATUS_INQUIRY = 'status-inquiry';

@ApiTags('inbox')
@Controller('inbox/tasks')
export class StatusInquiryController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalWorkerHost,
  ) {}

  /**
   * An immigration caseworker answers a status inquiry from their inbox. The answer goes to the
   * workflow as an Update; its validator accepts or refuses it at once.
   */
  @Post(':taskId/answer')
  @HttpCode(200)
  @ApiOkResponse({ type: StatusInquiryAnsweredView })
  @ApiBadRequestResponse({ description: 'Invalid answer (application/problem+json naming each bad field)' })
  @ApiNotFoundResponse({ description: 'No open or closed status inquiry with this ID' })
  @ApiConflictResponse({ description: 'Already answered; the body carries the recorded answer' })
  async answer(
    @Param('taskId', taskIdPipe()) taskId: string,
    @Body() body: AnswerStatusInquiryDto,
  ): Promise<StatusInquiryAnsweredView> {
    const tasks = this.dataSource.getRepository(InboxTask);
    const task = await tasks.findOneBy({ id: taskId, kind: STATUS_INQUIRY });
    if (!task) {
      throw new NotFoundException(`No status inquiry task ${taskId}`);
    }
    if (task.state !== 'open') {
      throw this.alreadyAnswered(task);
    }
    if (task.claimedBy && task.claimedBy !== body.caseworkerId) {
      throw conflictWith(`Status inquiry ${task.id} is claimed by ${task.claimedBy}`, { recorded: inboxTaskView(task) });
    }
    const answeredBy: Actor = { domain: 'immigration', caseworkerId: body.caseworkerId };
    let result;
    try {
      result = await this.temporal.temporalClient.workflow
        .getHandle(task.workflowId)
        .executeUpdate(answerStatusInquiry, { args: [{ taskId, answeredBy, answer: { ...body.answer } }] });
    } catch (error) {
      throw await this.refusal(error, task);
    }
    await tasks
      .createQueryBuilder()
      .update()
      .set({
        state: 'completed',
        completedBy: answeredBy,
        resolution: { outcome: result.outcome, answer: result.answer },
        closedAt: new Date(result.answeredAt),
      })
      .where('id = :taskId AND state = :open', { taskId, open: 'open' })
      .execute();
    return { taskId, caseRef: task.caseRef, outcome: result.outcome, answeredAt: result.answeredAt };
  }

  private alreadyAnswered(task: InboxTask): Error {
    return conflictWith(`Status inquiry ${task.id} is already answered`, { recorded: inboxTaskView(task) });
  }

  /** Maps the validator's refusal to HTTP: a second answer is a conflict carrying the recorded one. */
  private async refusal(error: unknown, task: InboxTask): Promise<Error> {
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === 'AlreadyAnswered') {
      const answered = await recordedCompletion(this.dataSource, task.id);
      if (answered) return this.alreadyAnswered(answered);
    }
    return updateRefusal(error, ['AlreadyAnswered', 'NotAwaitingAnswer', 'Withdrawn'], { taskId: task.id });
  }
}
