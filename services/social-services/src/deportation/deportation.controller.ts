import { Body, Controller, ForbiddenException, Get, NotFoundException, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  CASE_REF_PATTERN,
  DEPORTATION_TASKS,
  dateVisibleToSocialWorker,
  handoffWorkflowId,
  type Actor,
} from '@handoffs/contracts';
import { CompletesTask, Handoffs, taskIdPipe } from '@handoffs/handoff-records';
import { completeParticipation, reportSeparation } from '@handoffs/workflows/messages';
import {
  CompleteParticipationDto,
  ParticipationCompletedView,
  PlannedDateQuery,
  PlannedDateView,
  ReportSeparationDto,
  SeparationReportedView,
} from './deportation.dto';
import { DeportationParticipation } from './deportation.entities';

const CONFLICTS = ['NotAwaitingDecision', 'AlreadyClosed'];

function caseRefOrNotFound(caseRef: string): string {
  if (!CASE_REF_PATTERN.test(caseRef)) {
    throw new NotFoundException(`No deportation case ${caseRef.slice(0, 40)}`);
  }
  return caseRef;
}

/** The KSD's (youth welfare) part in a deportation of a family: participation, separations, and the time-boxed date. */
@ApiTags('deportation (KSD)')
@Controller()
export class DeportationParticipationController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly handoffs: Handoffs,
  ) {}

  /** A KSD caseworker completes the child-welfare participation task: no concern, or a concern with its category. */
  @CompletesTask('participation', { type: ParticipationCompletedView, what: 'finding' })
  async completeParticipation(
    @Param('taskId', taskIdPipe()) taskId: string,
    @Body() body: CompleteParticipationDto,
  ): Promise<ParticipationCompletedView> {
    const actor: Actor = { domain: 'social-services', caseworkerId: body.caseworkerId };
    const { task, result } = await this.handoffs.completeTask({
      taskId,
      task: { name: 'participation task', kindPrefix: DEPORTATION_TASKS.participation, process: 'deportation' },
      actor,
      update: completeParticipation,
      args: () => [{ taskId, actor, finding: body.finding, ...(body.concernReason ? { concernReason: body.concernReason } : {}) }],
      conflicts: CONFLICTS,
    });
    return { taskId, caseRef: task.caseRef, stage: result.stage };
  }

  /** A child is separated from its family: a child-protection task opens in this inbox before the answer. */
  @Post('deportation-participations/:caseRef/separations')
  @ApiCreatedResponse({ type: SeparationReportedView })
  @ApiBadRequestResponse({ description: 'Invalid report (application/problem+json naming each bad field)' })
  @ApiNotFoundResponse({ description: 'No open deportation case with this reference' })
  async reportSeparation(@Param('caseRef') caseRef: string, @Body() body: ReportSeparationDto): Promise<SeparationReportedView> {
    const workflowId = handoffWorkflowId('deportation', caseRefOrNotFound(caseRef));
    const actor: Actor = { domain: 'social-services', caseworkerId: body.caseworkerId };
    const { taskId } = await this.handoffs.update({
      workflowId,
      update: reportSeparation,
      args: [{ actor, childAge: body.childAge, circumstance: body.circumstance }],
      conflicts: CONFLICTS,
    });
    return { caseRef, taskId };
  }

  /** The date, for the assigned social worker only, and only from 72 hours before until 24 hours after. */
  @Get('deportation-participations/:caseRef/planned-date')
  @ApiOkResponse({ type: PlannedDateView })
  @ApiForbiddenResponse({ description: 'Not the assigned social worker, or outside the time box' })
  @ApiNotFoundResponse({ description: 'No participation on record for this case' })
  async plannedDate(@Param('caseRef') caseRef: string, @Query() query: PlannedDateQuery): Promise<PlannedDateView> {
    const record = await this.dataSource.getRepository(DeportationParticipation).findOneBy({ caseRef: caseRefOrNotFound(caseRef) });
    if (!record) {
      throw new NotFoundException(`No deportation participation for case ${caseRef}`);
    }
    const { socialWorker, plannedAt, dateVisibleFrom, dateVisibleUntil } = record;
    if (
      socialWorker?.caseworkerId !== query.caseworkerId ||
      !plannedAt ||
      !dateVisibleFrom ||
      !dateVisibleUntil ||
      !dateVisibleToSocialWorker(Date.now(), { from: dateVisibleFrom.toISOString(), until: dateVisibleUntil.toISOString() })
    ) {
      throw new ForbiddenException('The date is shown only to the assigned social worker, within the time box');
    }
    return { caseRef, plannedAt: plannedAt.toISOString(), visibleUntil: dateVisibleUntil.toISOString() };
  }
}
