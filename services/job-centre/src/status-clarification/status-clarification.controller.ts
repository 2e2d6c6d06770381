import { createHash } from 'node:crypto';
import { Body, Controller, Get, HttpCode, HttpStatus, Inject, NotFoundException, Param, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import {
  CASE_REF_PATTERN,
  handoffWorkflowId,
  slaFor,
  taskQueueOf,
  type StatusClarificationInput,
} from '@handoffs/contracts';
import { conflictWith, SERVICE_CONFIG, updateRefusal, type ServiceConfig } from '@handoffs/service-kit';
import { TemporalWorkerHost } from '@handoffs/temporal';
import { withdrawStatusClarification, statusClarificationWorkflow, type StatusClarificationWorkflow } from '@handoffs/workflows/messages';
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
  const canonical = JSON.stringify(fields);
  return createHash('sha256').update(canonical).digest('hex');
}

@ApiTags('status clarification')
@Controller('status-clarifications')
export class StatusClarificationController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalWorkerHost,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /**
   * A job-centre caseworker asks the immigration office whether the person's residence status
   * allows work. The request is kept before the handoff starts, so nothing submitted is lost.
   */
  @Post()
  @ApiAcceptedResponse({ type: StatusClarificationView, description: 'Handoff started' })
  @ApiOkResponse({ type: StatusClarificationView, description: 'The same request again: the existing handoff' })
  @ApiBadRequestResponse({ description: 'Invalid request (application/problem+json naming each bad field)' })
  @ApiConflictResponse({ description: 'A different request exists for this case reference' })
  async request(@Body() request: RequestStatusClarificationDto, @Res() reply: FastifyReply): Promise<void> {
    const repository = this.dataSource.getRepository(StatusClarificationRecord);
    const requestFingerprint = fingerprint(request);
    const inserted = await repository
      .createQueryBuilder()
      .insert()
      .values({
        caseRef: request.caseRef,
        workflowId: handoffWorkflowId('status-clarification', request.caseRef),
        inquiry: {
          subject: { ...request.subject },
          questions: request.questions,
          ...(request.plannedEmployment ? { plannedEmployment: { ...request.plannedEmployment } } : {}),
        },
        requestedBy: { domain: 'job-centre', caseworkerId: request.caseworkerId },
        requestedAt: new Date(),
        requestFingerprint,
        state: 'requested',
      })
      .orIgnore()
      .returning(['caseRef'])
      .execute();
    const record = await repository.findOneByOrFail({ caseRef: request.caseRef });
    if (record.requestFingerprint !== requestFingerprint) {
      throw conflictWith(`A different status clarification is already recorded for ${record.caseRef}`, {
        recorded: view(record),
      });
    }
    if (record.state === 'requested') {
      await this.startHandoff(record);
    }
    void reply.status(inserted.raw.length > 0 ? HttpStatus.ACCEPTED : HttpStatus.OK).send(view(record));
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
    try {
      const withdrawn = await this.temporal.temporalClient.workflow
        .getHandle(record.workflowId)
        .executeUpdate(withdrawStatusClarification, { args: [{ withdrawnBy, reason: body.reason }] });
      record.state = 'withdrawn';
      record.withdrawal = { withdrawnBy, reason: body.reason, withdrawnAt: withdrawn.withdrawnAt };
    } catch (error) {
      throw updateRefusal(error, ['AlreadyAnswered', 'Withdrawn'], { recorded: view(await this.find(caseRef)) });
    }
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

  /** Starts the workflow, or finds it running or closed: one handoff per case, however often asked. */
  private async startHandoff(record: StatusClarificationRecord): Promise<void> {
    const requestedAt = record.requestedAt.toISOString();
    const input: StatusClarificationInput = {
      steps: this.config.stepPolicy,
      caseRef: record.caseRef,
      requestedBy: record.requestedBy,
      requestedAt,
      inquiry: record.inquiry,
      answerWithin: slaFor('status-inquiry-answer', requestedAt, this.config.slaOverrides),
      recheckBefore: slaFor('status-recheck-lead', requestedAt, this.config.slaOverrides),
      statusChangeReportWithin: slaFor('effective-date-confirmation', requestedAt, this.config.slaOverrides),
      agencyConsentWithin: slaFor('ba-consent', requestedAt, this.config.slaOverrides),
    };
    try {
      await this.temporal.temporalClient.workflow.start<StatusClarificationWorkflow>(statusClarificationWorkflow, {
        workflowId: record.workflowId,
        taskQueue: taskQueueOf('immigration'),
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        staticSummary: `Status clarification ${record.caseRef}: job centre asks the immigration office about work permission`,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
        throw error;
      }
    }
  }
}
