import { Body, Controller, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '@handoffs/contracts';
import { CompletesTask, Handoffs, taskIdPipe } from '@handoffs/handoff-records';
import { answerStatusInquiry } from '@handoffs/workflows/messages';
import { AnswerStatusInquiryDto, StatusInquiryAnsweredView } from './status-answer.dto';

@ApiTags('inbox')
@Controller()
export class StatusInquiryController {
  constructor(private readonly handoffs: Handoffs) {}

  /** An immigration caseworker answers a status inquiry from their inbox. */
  @CompletesTask('answer', { type: StatusInquiryAnsweredView, what: 'answer' })
  async answer(@Param('taskId', taskIdPipe()) taskId: string, @Body() body: AnswerStatusInquiryDto): Promise<StatusInquiryAnsweredView> {
    const answeredBy: Actor = { domain: 'immigration', caseworkerId: body.caseworkerId };
    const { task, result } = await this.handoffs.completeTask({
      taskId,
      task: { name: 'status inquiry task', kind: 'status-inquiry' },
      actor: answeredBy,
      update: answerStatusInquiry,
      args: () => [{ taskId, answeredBy, answer: { ...body.answer } }],
      conflicts: ['AlreadyAnswered', 'NotAwaitingAnswer', 'Withdrawn'],
    });
    return { taskId, caseRef: task.caseRef, outcome: result.outcome, answeredAt: result.answeredAt };
  }
}
