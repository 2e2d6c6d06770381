import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { UpdateDefinition } from '@temporalio/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { CASE_REF_PATTERN, DEPORTATION_TASKS, handoffWorkflowId, type Actor } from '@handoffs/contracts';
import { CompletesTask, Handoffs, StartsHandoff, requestFingerprint, taskIdPipe, type HandoffStart } from '@handoffs/handoff-records';
import { invalidRequest } from '@handoffs/service-kit';
import { TemporalWorkerHost } from '@handoffs/temporal';
import {
  cancelDeportation,
  decideOnConcern,
  deportationState,
  deportationWorkflow,
  recordExecution,
  scheduleDeportation,
} from '@handoffs/workflows/messages';
import { DeportationCase } from './deportation-case.entity';
import {
  CancelDeportationDto,
  ConcernDecisionDto,
  DeportationCaseView,
  PlannedDateQuery,
  PlannedDateView,
  RecordExecutionDto,
  ScheduleDeportationDto,
  StageView,
  StartDeportationDto,
} from './deportation.dto';

const CONFLICTS = ['NotAwaitingDecision', 'AlreadyClosed'];

function fingerprint(request: StartDeportationDto): string {
  return requestFingerprint([request.childrenAges, [...request.vulnerabilities].sort(), request.plannedDate]);
}

/**
 * P2 deportation of a family with children, led by the immigration office. Every step that goes
 * ahead is a caseworker's decision sent to the workflow as an Update; its validator accepts or refuses at once.
 */
@ApiTags('deportation')
@Controller()
export class DeportationController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalWorkerHost,
    private readonly handoffs: Handoffs,
  ) {}

  private get cases() {
    return this.dataSource.getRepository(DeportationCase);
  }

  /** Opens a deportation case after the case review; the KSD is asked to take part before the planned day. */
  @StartsHandoff('deportations', { type: DeportationCaseView, what: 'deportation case' })
  async start(@Body() request: StartDeportationDto, @Res() reply: FastifyReply): Promise<void> {
    if (request.plannedDate <= new Date().toISOString().slice(0, 10)) {
      throw invalidRequest([{ field: 'plannedDate', problems: ['plannedDate must lie in the future'] }]);
    }
    const { record, created } = await this.handoffs.recordAndStart({
      entity: DeportationCase,
      row: {
        caseRef: request.caseRef,
        workflowId: handoffWorkflowId('deportation', request.caseRef),
        requestedBy: { domain: 'immigration', caseworkerId: request.caseworkerId },
        requestedAt: new Date(),
        requestFingerprint: fingerprint(request),
        family: { childrenAges: request.childrenAges, vulnerabilities: request.vulnerabilities },
        plannedDate: request.plannedDate,
        state: 'open',
        updatedAt: new Date(),
      },
      what: 'deportation case',
      view: (recorded) => this.view(recorded),
      startsWhile: (recorded) => recorded.state === 'open',
      handoff: (recorded) => this.handoff(recorded),
    });
    void reply.status(created ? HttpStatus.ACCEPTED : HttpStatus.OK).send(await this.view(record));
  }

  @Get('deportations/:caseRef')
  @ApiOkResponse({ type: DeportationCaseView, description: 'The case, without its date' })
  @ApiNotFoundResponse({ description: 'No deportation case for this reference' })
  async get(@Param('caseRef') caseRef: string): Promise<DeportationCaseView> {
    return this.view(await this.caseOrNotFound(caseRef));
  }

  /** The date: only for immigration enforcement (Vollzug). */
  @Get('deportations/:caseRef/planned-date')
  @ApiOkResponse({ type: PlannedDateView })
  @ApiForbiddenResponse({ description: 'Only immigration enforcement sees the date' })
  @ApiNotFoundResponse({ description: 'No deportation case for this reference' })
  async plannedDate(@Param('caseRef') caseRef: string, @Query() query: PlannedDateQuery): Promise<PlannedDateView> {
    const record = await this.caseOrNotFound(caseRef);
    if (query.role !== 'enforcement') {
      throw new ForbiddenException('The date is shown only to immigration enforcement');
    }
    return {
      caseRef: record.caseRef,
      plannedDate: record.plannedDate,
      plannedAt: record.plannedAt?.toISOString() ?? null,
      nightOverride: record.nightOverride,
    };
  }

  /** After the KSD's concern, the immigration caseworker decides from their inbox: proceed, postpone or cancel. */
  @CompletesTask('decision', { type: StageView, what: 'decision' })
  async decide(@Param('taskId', taskIdPipe()) taskId: string, @Body() body: ConcernDecisionDto): Promise<StageView> {
    const { caseworkerId, ...decision } = body;
    const actor = this.actor(caseworkerId);
    const { task, result } = await this.handoffs.completeTask({
      taskId,
      task: { name: 'deportation decision task', kindPrefix: DEPORTATION_TASKS.decision, process: 'deportation' },
      actor,
      update: decideOnConcern,
      args: () => [{ taskId, actor, ...decision }],
      conflicts: CONFLICTS,
    });
    if (decision.decision === 'postpone' && decision.plannedDate) {
      await this.cases.update({ caseRef: task.caseRef }, { plannedDate: decision.plannedDate, updatedAt: new Date() });
    } else if (decision.decision === 'cancel' && decision.cancellationReason) {
      await this.cases.update({ caseRef: task.caseRef }, { state: 'cancelled', cancellationReason: decision.cancellationReason, updatedAt: new Date() });
    }
    return { caseRef: task.caseRef, stage: result.stage };
  }

  @Post('deportations/:caseRef/schedule')
  @HttpCode(200)
  @ApiOkResponse({ type: StageView })
  @ApiBadRequestResponse({ description: 'Invalid date, or a night operation for children under 14 without nightOverride' })
  @ApiConflictResponse({ description: 'Not possible in the current stage (e.g. participation not on record)' })
  async schedule(@Param('caseRef') caseRef: string, @Body() body: ScheduleDeportationDto): Promise<StageView> {
    const record = await this.caseOrNotFound(caseRef);
    const actor = this.actor(body.caseworkerId);
    const plannedAt = new Date(body.plannedAt).toISOString();
    const nightOverride = body.nightOverride ? { reason: body.nightOverride.reason } : undefined;
    const accepted = await this.update(record.workflowId, scheduleDeportation, [{ actor, plannedAt, ...(nightOverride ? { nightOverride } : {}) }]);
    await this.cases.update(
      { caseRef: record.caseRef },
      {
        plannedAt: new Date(plannedAt),
        scheduledBy: actor,
        nightOverride: nightOverride ? { reason: nightOverride.reason, loggedBy: actor } : null,
        updatedAt: new Date(),
      },
    );
    return { caseRef: record.caseRef, stage: accepted.stage };
  }

  @Post('deportations/:caseRef/execution')
  @HttpCode(200)
  @ApiOkResponse({ type: StageView })
  @ApiBadRequestResponse({ description: 'Invalid record' })
  @ApiConflictResponse({ description: 'Not scheduled, or closed' })
  async execution(@Param('caseRef') caseRef: string, @Body() body: RecordExecutionDto): Promise<StageView> {
    const record = await this.caseOrNotFound(caseRef);
    const actor = this.actor(body.caseworkerId);
    const departedAt = new Date(body.departedAt).toISOString();
    const accepted = await this.update(record.workflowId, recordExecution, [{ actor, departedAt, departure: body.departure }]);
    await this.cases.update({ caseRef: record.caseRef }, { state: 'executed', departedAt: new Date(departedAt), updatedAt: new Date() });
    return { caseRef: record.caseRef, stage: accepted.stage };
  }

  /** Court stay, toleration, medical certificate, failed attempt, absconding, …: what was done is undone. */
  @Post('deportations/:caseRef/cancellation')
  @HttpCode(200)
  @ApiOkResponse({ type: StageView })
  @ApiBadRequestResponse({ description: 'Invalid reason' })
  @ApiConflictResponse({ description: 'Already closed' })
  async cancellation(@Param('caseRef') caseRef: string, @Body() body: CancelDeportationDto): Promise<StageView> {
    const record = await this.caseOrNotFound(caseRef);
    const actor = this.actor(body.caseworkerId);
    const accepted = await this.update(record.workflowId, cancelDeportation, [{ actor, reason: body.reason }]);
    await this.cases.update({ caseRef: record.caseRef }, { state: 'cancelled', cancellationReason: body.reason, updatedAt: new Date() });
    return { caseRef: record.caseRef, stage: accepted.stage };
  }

  private actor(caseworkerId: string): Actor {
    return { domain: 'immigration', caseworkerId };
  }

  /** A decision on the case as an Update; a refusal in the wrong stage is a 409 naming the stage the case is in. */
  private update<Ret, Args extends [unknown, ...unknown[]]>(workflowId: string, update: UpdateDefinition<Ret, Args>, args: Args): Promise<Ret> {
    return this.handoffs.update({ workflowId, update, args, conflicts: CONFLICTS, recorded: () => this.currentStage(workflowId) });
  }

  private async currentStage(workflowId: string): Promise<Record<string, unknown>> {
    try {
      const state = await this.temporal.temporalClient.workflow.getHandle(workflowId).query(deportationState);
      return { stage: state.stage };
    } catch {
      return {}; // the handoff cannot be asked; the refusal alone answers
    }
  }

  private async caseOrNotFound(caseRef: string): Promise<DeportationCase> {
    const record = CASE_REF_PATTERN.test(caseRef) ? await this.cases.findOneBy({ caseRef }) : null;
    if (!record) {
      throw new NotFoundException(`No deportation case ${caseRef.slice(0, 40)}`);
    }
    return record;
  }

  private async view(record: DeportationCase): Promise<DeportationCaseView> {
    let stage: string | null = null;
    let outcome: string | null = null;
    try {
      const state = await this.temporal.temporalClient.workflow.getHandle(record.workflowId).query(deportationState);
      ({ stage, outcome } = state);
    } catch {
      // not started yet, or no worker can answer right now
    }
    return {
      caseRef: record.caseRef,
      handoffId: record.workflowId,
      state: record.state,
      stage,
      outcome,
      childrenAges: record.family.childrenAges,
      scheduled: record.plannedAt !== null,
      nightOverride: record.nightOverride,
      cancellationReason: record.cancellationReason,
      requestedAt: record.requestedAt.toISOString(),
    };
  }

  /** How the case's handoff starts: on the immigration office's own queue. */
  private handoff(record: DeportationCase): HandoffStart<typeof deportationWorkflow> {
    const requestedAt = record.requestedAt.toISOString();
    return {
      workflow: deportationWorkflow,
      owner: 'immigration',
      input: {
        caseRef: record.caseRef,
        requestedBy: record.requestedBy,
        requestedAt,
        family: record.family,
        plannedDate: record.plannedDate,
        participationWithin: this.handoffs.dueWithin('child-welfare-participation', requestedAt),
      },
      staticSummary: `Deportation ${record.caseRef}: immigration office, with the KSD's child-welfare participation`,
    };
  }
}
