import { Body, Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { CASE_REF_PATTERN, handoffWorkflowId } from '@handoffs/contracts';
import { conflictWith, Handoffs, StartsHandoff, requestFingerprint, type HandoffStart } from '@handoffs/handoff-records';
import { statusClarificationWorkflow, withdrawStatusClarification } from '@handoffs/workflows/messages';
import { RequestStatusClarificationDto, StatusClarificationView, WithdrawStatusClarificationDto } from './status-clarification.dto';
import { StatusClarificationRecord } from './status-clarification.entity';

function view(record: StatusClarificationRecord): StatusClarificationView {
  return {
    caseRef: record.caseRef,
    handoffId: record.workflowId,
    state: record.state,
    requestedAt: record.requestedAt.toISOString(),
    outcome: record.outcome,
    answer: record.answer,
    answeredBy: record.answeredBy,
    answeredAt: record.answeredAt?.toISOString() ?? null,
    validUntil: record.validUntil,
    agencyConsent: record.answer?.agencyConsent ?? null,
    withdrawal: record.withdrawal,
  };
}

function fingerprint(request: RequestStatusClarificationDto): string {
  const { subject, questions, plannedEmployment: job } = request;
  const fields: unknown[] = [subject.azrNumber ?? null, subject.familyName, subject.givenNames, subject.dateOfBirth, [...questions].sort()];
  // Appended only when given, so that requests without it keep their fingerprint.
  if (job) fields.push([job.employer, job.occupation, job.hoursPerWeek, job.grossMonthlyWage, job.startDate]);
  return requestFingerprint(fields);
}

@ApiTags('status clarification')
@Controller('status-clarifications')
export class StatusClarificationController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly handoffs: Handoffs,
  ) {}

  /**
   * A job-centre caseworker asks the immigration office whether the person's residence status
   * allows work. The request is kept before the handoff starts, so nothing submitted is lost.
   */
  @StartsHandoff('', { type: StatusClarificationView, what: 'request' })
  async request(@Body() request: RequestStatusClarificationDto, @Res() reply: FastifyReply): Promise<void> {
    const { record, created } = await this.handoffs.recordAndStart({
      entity: StatusClarificationRecord,
      row: {
        caseRef: request.caseRef,
        workflowId: handoffWorkflowId('status-clarification', request.caseRef),
        inquiry: {
          subject: { ...request.subject },
          questions: request.questions,
          ...(request.plannedEmployment ? { plannedEmployment: { ...request.plannedEmployment } } : {}),
        },
        requestedBy: { domain: 'job-centre', caseworkerId: request.caseworkerId },
        requestedAt: new Date(),
        requestFingerprint: fingerprint(request),
        state: 'requested',
      },
      what: 'status clarification',
      view,
      startsWhile: (recorded) => recorded.state === 'requested',
      handoff: (recorded) => this.handoff(recorded),
    });
    void reply.status(created ? HttpStatus.ACCEPTED : HttpStatus.OK).send(view(record));
  }

  @Get(':caseRef')
  @ApiOkResponse({ type: StatusClarificationView })
  @ApiNotFoundResponse({ description: 'No status clarification for this case reference' })
  async get(@Param('caseRef') caseRef: string): Promise<StatusClarificationView> {
    return view(await this.find(caseRef));
  }

  /** The job centre takes its inquiry back while it is unanswered (e.g. the placement fell through). */
  @Post(':caseRef/withdraw')
  @HttpCode(200)
  @ApiOkResponse({ type: StatusClarificationView, description: 'Withdrawn; the immigration office\'s task is closed' })
  @ApiNotFoundResponse({ description: 'No status clarification for this case reference' })
  @ApiConflictResponse({ description: 'Already answered or withdrawn; the body carries the recorded state' })
  async withdraw(@Param('caseRef') caseRef: string, @Body() body: WithdrawStatusClarificationDto): Promise<StatusClarificationView> {
    const record = await this.find(caseRef);
    if (record.state !== 'requested') {
      throw conflictWith(`The status clarification for ${record.caseRef} is ${record.state}`, { recorded: view(record) });
    }
    const withdrawnBy = { domain: 'job-centre' as const, caseworkerId: body.caseworkerId };
    const withdrawn = await this.handoffs.update({
      workflowId: record.workflowId,
      update: withdrawStatusClarification,
      args: [{ withdrawnBy, reason: body.reason }],
      conflicts: ['AlreadyAnswered', 'Withdrawn'],
      recorded: async () => ({ recorded: view(await this.find(caseRef)) }),
    });
    record.state = 'withdrawn';
    record.withdrawal = { withdrawnBy, reason: body.reason, withdrawnAt: withdrawn.withdrawnAt };
    await this.dataSource
      .getRepository(StatusClarificationRecord)
      .update({ caseRef: record.caseRef, state: 'requested' }, { state: 'withdrawn', withdrawal: record.withdrawal });
    return view(record);
  }

  private async find(caseRef: string): Promise<StatusClarificationRecord> {
    const record = CASE_REF_PATTERN.test(caseRef)
      ? await this.dataSource.getRepository(StatusClarificationRecord).findOneBy({ caseRef })
      : null;
    if (!record) {
      throw new NotFoundException(`No status clarification for case ${caseRef.slice(0, 40)}`);
    }
    return record;
  }

  /** How the recorded request's handoff starts: on the immigration office's queue, which owns the answer. */
  private handoff(record: StatusClarificationRecord): HandoffStart<typeof statusClarificationWorkflow> {
    const requestedAt = record.requestedAt.toISOString();
    return {
      workflow: statusClarificationWorkflow,
      owner: 'immigration',
      input: {
        caseRef: record.caseRef,
        requestedBy: record.requestedBy,
        requestedAt,
        inquiry: record.inquiry,
        answerWithin: this.handoffs.dueWithin('status-inquiry-answer', requestedAt),
        recheckBefore: this.handoffs.dueWithin('status-recheck-lead', requestedAt),
        statusChangeReportWithin: this.handoffs.dueWithin('effective-date-confirmation', requestedAt),
        agencyConsentWithin: this.handoffs.dueWithin('ba-consent', requestedAt),
      },
      staticSummary: `Status clarification ${record.caseRef}: job centre asks the immigration office about work permission`,
    };
  }
}
