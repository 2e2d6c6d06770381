import { createHash, randomUUID } from 'node:crypto';
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
import type { Duration } from '@temporalio/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import {
  AGENCY_INFORMATION_TASK,
  CASE_REF_PATTERN,
  handoffWorkflowId,
  slaFor,
  taskQueueOf,
  type Actor,
  type AgencyReferralInput,
} from '@handoffs/contracts';
import { InboxTask, inboxTaskView, taskIdPipe } from '@handoffs/handoff-records';
import { conflictWith, SERVICE_CONFIG, updateRefusal, type ServiceConfig } from '@handoffs/service-kit';
import { TemporalWorkerHost } from '@handoffs/temporal';
import { supplyAgencyInformation, agencyReferralWorkflow, type AgencyReferralWorkflow } from '@handoffs/workflows/messages';
import {
  AgencyInformationSuppliedView,
  AgencyReferralView,
  ReferToAgencyDto,
  SupplyAgencyInformationDto,
} from './agency-referral.dto';
import { AgencyReferralRecord } from './agency-referral.entity';

function view(record: AgencyReferralRecord): AgencyReferralView {
  return {
    caseRef: record.caseRef,
    handoffId: record.workflowId,
    referralId: record.referralId,
    programme: record.programme,
    state: record.state,
    requestedAt: record.requestedAt.toISOString(),
    workPermission: record.workPermission,
    round: record.round,
    outcome: record.outcome,
    refusalReason: record.refusalReason,
    missing: record.missing,
    decidedAt: record.decidedAt?.toISOString() ?? null,
    programmeCarrier: record.programmeCarrier,
  };
}

function fingerprint(request: ReferToAgencyDto): string {
  const { subject } = request;
  const canonical = JSON.stringify([request.programme, subject.baCustomerNumber, subject.familyName, subject.givenNames, subject.dateOfBirth, request.languageLevel ?? null]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** How often an unanswered referral is sent to the agency again (env AGENCY_RESUBMIT_EVERY). */
export function resubmitEvery(env: NodeJS.ProcessEnv = process.env): Duration {
  return (env.AGENCY_RESUBMIT_EVERY ?? '1 hour') as Duration;
}

@ApiTags('agency referral')
@Controller()
export class AgencyReferralController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalWorkerHost,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /**
   * A job-centre caseworker refers the client to an employment-agency programme (P3b). The request
   * is kept before the handoff starts; the case stays with the job centre until the agency accepts.
   */
  @Post('agency-referrals')
  @ApiAcceptedResponse({ type: AgencyReferralView, description: 'Handoff started' })
  @ApiOkResponse({ type: AgencyReferralView, description: 'The same request again: the existing handoff' })
  @ApiBadRequestResponse({ description: 'Invalid request (application/problem+json naming each bad field)' })
  @ApiConflictResponse({ description: 'A different referral exists for this case reference' })
  async refer(@Body() request: ReferToAgencyDto, @Res() reply: FastifyReply): Promise<void> {
    const repository = this.dataSource.getRepository(AgencyReferralRecord);
    const requestFingerprint = fingerprint(request);
    const inserted = await repository
      .createQueryBuilder()
      .insert()
      .values({
        caseRef: request.caseRef,
        referralId: randomUUID(),
        workflowId: handoffWorkflowId('agency-referral', request.caseRef),
        programme: request.programme,
        subject: { ...request.subject },
        languageLevel: request.languageLevel ?? null,
        requestedBy: { domain: 'job-centre', caseworkerId: request.caseworkerId },
        requestedAt: new Date(),
        requestFingerprint,
        state: 'precheck',
      })
      .orIgnore()
      .returning(['caseRef'])
      .execute();
    const record = await repository.findOneByOrFail({ caseRef: request.caseRef });
    if (record.requestFingerprint !== requestFingerprint) {
      throw conflictWith(`A different agency referral is already recorded for ${record.caseRef}`, { recorded: view(record) });
    }
    if (record.state !== 'accepted' && record.state !== 'refused') {
      await this.startHandoff(record);
    }
    void reply.status(inserted.raw.length > 0 ? HttpStatus.ACCEPTED : HttpStatus.OK).send(view(record));
  }

  @Get('agency-referrals/:caseRef')
  @ApiOkResponse({ type: AgencyReferralView })
  @ApiNotFoundResponse({ description: 'No agency referral for this case reference' })
  async get(@Param('caseRef') caseRef: string): Promise<AgencyReferralView> {
    const record = CASE_REF_PATTERN.test(caseRef) ? await this.dataSource.getRepository(AgencyReferralRecord).findOneBy({ caseRef }) : null;
    if (!record) {
      throw new NotFoundException(`No agency referral for case ${caseRef.slice(0, 40)}`);
    }
    return view(record);
  }

  /**
   * The agency asked for information (NEEDS_INFO); a job-centre caseworker supplies it from the inbox
   * task. It reaches the workflow as an Update whose validator accepts or refuses it at once.
   */
  @Post('inbox/tasks/:taskId/agency-information')
  @HttpCode(200)
  @ApiOkResponse({ type: AgencyInformationSuppliedView })
  @ApiBadRequestResponse({ description: 'Invalid, or not what the agency asked for (problem+json with the reason)' })
  @ApiNotFoundResponse({ description: 'No such request for information' })
  @ApiConflictResponse({ description: 'Already supplied; the body carries the recorded task' })
  async supplyInformation(
    @Param('taskId', taskIdPipe()) taskId: string,
    @Body() body: SupplyAgencyInformationDto,
  ): Promise<AgencyInformationSuppliedView> {
    const tasks = this.dataSource.getRepository(InboxTask);
    const task = await tasks.findOneBy({ id: taskId, kind: AGENCY_INFORMATION_TASK });
    if (!task) {
      throw new NotFoundException(`No request for information ${taskId}`);
    }
    if (task.state !== 'open') {
      throw conflictWith(`Request for information ${taskId} is already answered`, { recorded: inboxTaskView(task) });
    }
    const suppliedBy: Actor = { domain: 'job-centre', caseworkerId: body.caseworkerId };
    const information = body.information.languageLevel ? { languageLevel: body.information.languageLevel } : {};
    try {
      const supplied = await this.temporal.temporalClient.workflow
        .getHandle(task.workflowId)
        .executeUpdate(supplyAgencyInformation, { args: [{ taskId, suppliedBy, information }] });
      await tasks
        .createQueryBuilder()
        .update()
        .set({ state: 'completed', completedBy: suppliedBy, resolution: { supplied: Object.keys(information) }, closedAt: new Date(supplied.suppliedAt) })
        .where('id = :taskId AND state = :open', { taskId, open: 'open' })
        .execute();
      return { taskId, caseRef: supplied.caseRef, nextRound: supplied.nextRound, suppliedAt: supplied.suppliedAt };
    } catch (error) {
      throw updateRefusal(error, ['NotAwaitingInformation'], { taskId });
    }
  }

  /** Starts the workflow, or finds it running or closed: one handoff per case, however often asked. */
  private async startHandoff(record: AgencyReferralRecord): Promise<void> {
    const requestedAt = record.requestedAt.toISOString();
    const input: AgencyReferralInput = {
      steps: this.config.stepPolicy,
      caseRef: record.caseRef,
      referralId: record.referralId,
      requestedBy: record.requestedBy,
      requestedAt,
      programme: record.programme,
      subject: record.subject,
      ...(record.languageLevel ? { languageLevel: record.languageLevel } : {}),
      decisionWithin: slaFor('agency-decision', requestedAt, this.config.slaOverrides),
      informationWithin: slaFor('agency-information', requestedAt, this.config.slaOverrides),
      resubmitEvery: resubmitEvery(),
    };
    try {
      await this.temporal.temporalClient.workflow.start<AgencyReferralWorkflow>(agencyReferralWorkflow, {
        workflowId: record.workflowId,
        taskQueue: taskQueueOf('job-centre'),
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        staticSummary: `Agency referral ${record.caseRef}: the job centre refers the case to an employment agency programme`,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
        throw error;
      }
    }
  }
}
