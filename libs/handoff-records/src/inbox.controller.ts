import { BadRequestException, Body, Controller, Get, HttpCode, HttpException, HttpStatus, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsIn, IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { CASEWORKER_ID_PATTERN, ISO_INSTANT_PATTERN, type InboxTaskState } from '@handoffs/contracts';
import { InboxTask } from './inbox-task.entity';

const STATES: InboxTaskState[] = ['open', 'completed', 'withdrawn'];

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

export class InboxQuery {
  @ApiPropertyOptional({ enum: STATES, default: 'open' })
  @IsOptional()
  @IsIn(STATES)
  state?: InboxTaskState;

  @ApiPropertyOptional({ example: 'status-inquiry' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z-]{1,63}$/)
  kind?: string;

  @ApiPropertyOptional({ description: 'Only tasks due before this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  // Strict ISO 8601 still lets through forms JavaScript cannot read (e.g. "2026-01-01T00"): a 500 before.
  @Matches(ISO_INSTANT_PATTERN, { message: 'dueBefore must be a date or a date and time with offset, e.g. 2026-01-15T10:00:00Z' })
  dueBefore?: string;
}

export class ClaimDto {
  @ApiProperty({ example: 'abh.schmidt', description: 'Staff ID of the caseworker' })
  @Matches(CASEWORKER_ID_PATTERN, { message: 'caseworkerId must be a staff ID (lowercase letters, digits, . _ -)' })
  caseworkerId!: string;
}

export class InboxTaskView {
  @ApiProperty() id!: string;
  @ApiProperty() caseRef!: string;
  @ApiProperty() process!: string;
  @ApiProperty() kind!: string;
  @ApiProperty({ enum: STATES }) state!: InboxTaskState;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ description: 'What the caseworker needs to act: the payload of the handoff contract' })
  details!: object;
  @ApiPropertyOptional({ description: 'Staff ID of the caseworker who claimed it' }) claimedBy?: string | null;
  @ApiPropertyOptional() completedBy?: object | null;
  @ApiPropertyOptional() resolution?: object | null;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional() closedAt?: string | null;
}

export function inboxTaskView(task: InboxTask): InboxTaskView {
  return {
    id: task.id,
    caseRef: task.caseRef,
    process: task.process,
    kind: task.kind,
    state: task.state,
    dueAt: task.dueAt.toISOString(),
    details: task.details,
    claimedBy: task.claimedBy,
    completedBy: task.completedBy,
    resolution: task.resolution,
    createdAt: task.createdAt.toISOString(),
    closedAt: task.closedAt?.toISOString() ?? null,
  };
}

@ApiTags('inbox')
@Controller('inbox/tasks')
export class InboxController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get()
  @ApiOkResponse({ type: [InboxTaskView], description: 'Tasks of this domain, soonest due first' })
  async list(@Query() query: InboxQuery): Promise<InboxTaskView[]> {
    const tasks = this.dataSource
      .getRepository(InboxTask)
      .createQueryBuilder('task')
      .where('task.state = :state', { state: query.state ?? 'open' })
      .orderBy('task.due_at', 'ASC')
      .limit(500);
    if (query.kind) {
      tasks.andWhere('task.kind = :kind', { kind: query.kind });
    }
    if (query.dueBefore) {
      tasks.andWhere('task.due_at < :dueBefore', { dueBefore: new Date(query.dueBefore) });
    }
    return (await tasks.getMany()).map(inboxTaskView);
  }

  @Get(':taskId')
  @ApiOkResponse({ type: InboxTaskView })
  @ApiNotFoundResponse({ description: 'No such task in this domain' })
  async get(@Param('taskId', taskIdPipe()) taskId: string): Promise<InboxTaskView> {
    const task = await this.dataSource.getRepository(InboxTask).findOneBy({ id: taskId });
    if (!task) {
      throw new NotFoundException(`No inbox task ${taskId}`);
    }
    return inboxTaskView(task);
  }

  /** A caseworker takes an open task; another who has claimed it keeps it until they release it. */
  @Post(':taskId/claim')
  @HttpCode(200)
  @ApiOkResponse({ type: InboxTaskView })
  @ApiNotFoundResponse({ description: 'No such task in this domain' })
  @ApiConflictResponse({ description: 'Closed, or claimed by someone else; the body carries the task' })
  async claim(@Param('taskId', taskIdPipe()) taskId: string, @Body() body: ClaimDto): Promise<InboxTaskView> {
    return this.setClaim(taskId, body.caseworkerId, body.caseworkerId);
  }

  @Post(':taskId/release')
  @HttpCode(200)
  @ApiOkResponse({ type: InboxTaskView })
  @ApiNotFoundResponse({ description: 'No such task in this domain' })
  @ApiConflictResponse({ description: 'Closed, or claimed by someone else' })
  async release(@Param('taskId', taskIdPipe()) taskId: string, @Body() body: ClaimDto): Promise<InboxTaskView> {
    return this.setClaim(taskId, body.caseworkerId, null);
  }

  private async setClaim(taskId: string, caseworkerId: string, claimedBy: string | null): Promise<InboxTaskView> {
    const tasks = this.dataSource.getRepository(InboxTask);
    const updated = await tasks
      .createQueryBuilder()
      .update()
      .set({ claimedBy, claimedAt: claimedBy ? new Date() : null })
      .where("id = :taskId AND state = 'open' AND (claimed_by IS NULL OR claimed_by = :caseworkerId)", { taskId, caseworkerId })
      .execute();
    const task = await tasks.findOneBy({ id: taskId });
    if (!task) {
      throw new NotFoundException(`No inbox task ${taskId}`);
    }
    if (!updated.affected) {
      const why = task.state !== 'open' ? `the task is ${task.state}` : `the task is claimed by ${task.claimedBy}`;
      throw new HttpException({ title: 'Conflict with recorded state', detail: `Cannot change the claim: ${why}`, recorded: inboxTaskView(task) }, HttpStatus.CONFLICT);
    }
    return inboxTaskView(task);
  }
}
