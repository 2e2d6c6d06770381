import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpStatus, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Duration } from '@temporalio/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { AGENCY_INFORMATION_TASK, CASE_REF_PATTERN, handoffWorkflowId, type Actor } from '@handoffs/contracts';
import { CompletesTask, Handoffs, StartsHandoff, requestFingerprint, taskIdPipe, type HandoffStart } from '@handoffs/handoff-records';
import { agencyReferralWorkflow, supplyAgencyInformation } from '@handoffs/workflows/messages';
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
  return requestFingerprint([request.programme, subject.baCustomerNumber, subject.familyName, subject.givenNames, subject.dateOfBirth, request.languageLevel ?? null]);
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
    private readonly handoffs: Handoffs,
  ) {}

  /**
   * A job-centre caseworker refers the client to an employment-agency programme (P3b). The request
   * is kept before the handoff starts; the case stays with the job centre until the agency accepts.
   */
  @StartsHandoff('agency-referrals', { type: AgencyReferralView, what: 'referral' })
  async refer(@Body() request: ReferToAgencyDto, @Res() reply: FastifyReply): Promise<void> {
    const { record, created } = await this.handoffs.recordAndStart({
      entity: AgencyReferralRecord,
      row: {
        caseRef: request.caseRef,
        referralId: randomUUID(),
        workflowId: handoffWorkflowId('agency-referral', request.caseRef),
        programme: request.programme,
        subject: { ...request.subject },
        languageLevel: request.languageLevel ?? null,
        requestedBy: { domain: 'job-centre', caseworkerId: request.caseworkerId },
        requestedAt: new Date(),
        requestFingerprint: fingerprint(request),
        state: 'precheck',
      },
      what: 'agency referral',
      view,
      startsWhile: (recorded) => recorded.state !== 'accepted' && recorded.state !== 'refused',
      handoff: (recorded) => this.handoff(recorded),
    });
    void reply.status(created ? HttpStatus.ACCEPTED : HttpStatus.OK).send(view(record));
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
  @CompletesTask('agency-information', { type: AgencyInformationSuppliedView, what: 'information' })
  async supplyInformation(
    @Param('taskId', taskIdPipe()) taskId: string,
    @Body() body: SupplyAgencyInformationDto,
  ): Promise<AgencyInformationSuppliedView> {
    const suppliedBy: Actor = { domain: 'job-centre', caseworkerId: body.caseworkerId };
    const information = body.information.languageLevel ? { languageLevel: body.information.languageLevel } : {};
    const { result } = await this.handoffs.completeTask({
      taskId,
      task: { name: 'request for information', kind: AGENCY_INFORMATION_TASK },
      actor: suppliedBy,
      update: supplyAgencyInformation,
      args: () => [{ taskId, suppliedBy, information }],
      conflicts: ['NotAwaitingInformation'],
    });
    return { taskId, caseRef: result.caseRef, nextRound: result.nextRound, suppliedAt: result.suppliedAt };
  }

  /** How the recorded referral's handoff starts: on the job centre's own queue, which owns the case until the agency accepts. */
  private handoff(record: AgencyReferralRecord): HandoffStart<typeof agencyReferralWorkflow> {
    const requestedAt = record.requestedAt.toISOString();
    return {
      workflow: agencyReferralWorkflow,
      owner: 'job-centre',
      input: {
        caseRef: record.caseRef,
        referralId: record.referralId,
        requestedBy: record.requestedBy,
        requestedAt,
        programme: record.programme,
        subject: record.subject,
        ...(record.languageLevel ? { languageLevel: record.languageLevel } : {}),
        decisionWithin: this.handoffs.dueWithin('agency-decision', requestedAt),
        informationWithin: this.handoffs.dueWithin('agency-information', requestedAt),
        resubmitEvery: resubmitEvery(),
      },
      staticSummary: `Agency referral ${record.caseRef}: the job centre refers the case to an employment agency programme`,
    };
  }
}
