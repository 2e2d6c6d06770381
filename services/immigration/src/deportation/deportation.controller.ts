import { createHash } from 'node:crypto';
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
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
  DEPORTATION_TASKS,
  handoffWorkflowId,
  slaFor,
  taskQueueOf,
  type Actor,
  type DeportationInput,
} from '@handoffs/contracts';
import { InboxTask, inboxTaskView, taskIdPipe } from '@handoffs/handoff-records';
import { conflictWith, invalidRequest, SERVICE_CONFIG, updateRefusal, type ServiceConfig } from '@handoffs/service-kit';
import { TemporalWorkerHost } from '@handoffs/temporal';
import {
  cancelDeportation,
  decideOnConcern,
  deportationState,
  recordExecution,
  scheduleDeportation,
  deportationWorkflow, type DeportationWorkflow,
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
  const canonical = JSON.stringify([request.childrenAges, [...request.vulnerabilities].sort(), request.plannedDate]);
  return createHash('sha256').update(canonical).digest('hex');
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
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  private get cases() {
    return this.dataSource.getRepository(DeportationCase);
  }

  /** Opens a deportation case after the case review; the KSD is asked to take part before the planned day. */
  @Post('deportations')
  @ApiAcceptedResponse({ type: DeportationCaseView, description: 'Handoff started' })
  @ApiOkResponse({ type: DeportationCaseView, description: 'The same request again: the existing case' })
  @ApiBadRequestResponse({ description: 'Invalid request (application/problem+json naming each bad field)' })
  @ApiConflictResponse({ description: 'A different case is recorded under this case reference' })
  async start(@Body() request: StartDeportationDto, @Res() reply: FastifyReply): Promise<void> {
    if (request.plannedDate <= new Date().toISOString().slice(0, 10)) {
      throw invalidRequest([{ field: 'plannedDate', problems: ['plannedDate must lie in the future'] }]);
    }
    const requestFingerprint = fingerprint(request);
    const inserted = await this.cases
      .createQueryBuilder()
      .insert()
      .values({
        caseRef: request.caseRef,
        workflowId: handoffWorkflowId('deportation', request.caseRef),
        requestedBy: { domain: 'immigration', caseworkerId: request.caseworkerId },
        requestedAt: new Date(),
        requestFingerprint,
        family: { childrenAges: request.childrenAges, vulnerabilities: request.vulnerabilities },
        plannedDate: request.plannedDate,
        state: 'open',
        updatedAt: new Date(),
      })
      .orIgnore()
      .returning(['caseRef'])
      .execute();
    const record = await this.cases.findOneByOrFail({ caseRef: request.caseRef });
    if (record.requestFingerprint !== requestFingerprint) {
      throw conflictWith(`A different deportation case is already recorded for ${record.caseRef}`, { recorded: await this.view(record) });
    }
    if (record.state === 'open') {
      await this.startHandoff(record);
    }
    void reply.status(inserted.raw.length > 0 ? HttpStatus.ACCEPTED : HttpStatus.OK).send(await this.view(record));
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
  @Post('inbox/tasks/:taskId/decision')
  @HttpCode(200)
  @ApiOkResponse({ type: StageView })
  @ApiBadRequestResponse({ description: 'Invalid decision (bad fields, or the validator\'s reason)' })
  @ApiNotFoundResponse({ description: 'No deportation decision task with this ID' })
  @ApiConflictResponse({ description: 'Already decided or withdrawn; the body carries the recorded task' })
  async decide(@Param('taskId', taskIdPipe()) taskId: string, @Body() body: ConcernDecisionDto): Promise<StageView> {
    const task = await this.dataSource.getRepository(InboxTask).findOneBy({ id: taskId, process: 'deportation' });
    if (!task || !task.kind.startsWith(DEPORTATION_TASKS.decision)) {
      throw new NotFoundException(`No deportation decision task ${taskId}`);
    }
    if (task.state !== 'open') {
      throw conflictWith(`Decision task ${taskId} is ${task.state}`, { recorded: inboxTaskView(task) });
    }
    const { caseworkerId, ...decision } = body;
    const actor = this.actor(caseworkerId);
    const accepted = await this.update(task.workflowId, () =>
      this.temporal.temporalClient.workflow.getHandle(task.workflowId).executeUpdate(decideOnConcern, { args: [{ taskId, actor, ...decision }] }),
    );
    if (decision.decision === 'postpone' && decision.plannedDate) {
      await this.cases.update({ caseRef: task.caseRef }, { plannedDate: decision.plannedDate, updatedAt: new Date() });
    } else if (decision.decision === 'cancel' && decision.cancellationReason) {
      await this.cases.update({ caseRef: task.caseRef }, { state: 'cancelled', cancellationReason: decision.cancellationReason, updatedAt: new Date() });
    }
    return { caseRef: task.caseRef, stage: accepted.stage };
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
    const accepted = await this.update(record.workflowId, () =>
      this.temporal.temporalClient.workflow
        .getHandle(record.workflowId)
        .executeUpdate(scheduleDeportation, { args: [{ actor, plannedAt, ...(nightOverride ? { nightOverride } : {}) }] }),
    );
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
    const accepted = await this.update(record.workflowId, () =>
      this.temporal.temporalClient.workflow
        .getHandle(record.workflowId)
        .executeUpdate(recordExecution, { args: [{ actor, departedAt, departure: body.departure }] }),
    );
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
    const accepted = await this.update(record.workflowId, () =>
      this.temporal.temporalClient.workflow.getHandle(record.workflowId).executeUpdate(cancelDeportation, { args: [{ actor, reason: body.reason }] }),
    );
    await this.cases.update({ caseRef: record.caseRef }, { state: 'cancelled', cancellationReason: body.reason, updatedAt: new Date() });
    return { caseRef: record.caseRef, stage: accepted.stage };
  }

  private actor(caseworkerId: string): Actor {
    return { domain: 'immigration', caseworkerId };
  }

  private async update<T>(workflowId: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      let current: object = {};
      try {
        const state = await this.temporal.temporalClient.workflow.getHandle(workflowId).query(deportationState);
        current = { stage: state.stage };
      } catch {
        // the handoff cannot be asked; the refusal alone answers
      }
      throw updateRefusal(error, CONFLICTS, current as Record<string, unknown>);
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

  /** Starts the workflow, or finds it running or closed: one handoff per case, however often asked. */
  private async startHandoff(record: DeportationCase): Promise<void> {
    const requestedAt = record.requestedAt.toISOString();
    const input: DeportationInput = {
      steps: this.config.stepPolicy,
      caseRef: record.caseRef,
      requestedBy: record.requestedBy,
      requestedAt,
      family: record.family,
      plannedDate: record.plannedDate,
      participationWithin: slaFor('child-welfare-participation', requestedAt, this.config.slaOverrides),
    };
    try {
      await this.temporal.temporalClient.workflow.start<DeportationWorkflow>(deportationWorkflow, {
        workflowId: record.workflowId,
        taskQueue: taskQueueOf('immigration'),
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        staticSummary: `Deportation ${record.caseRef}: immigration office, with the KSD's child-welfare participation`,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
        throw error;
      }
    }
  }
}
