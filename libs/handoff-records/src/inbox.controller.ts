import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsIn, IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { CASEWORKER_ID_PATTERN, ISO_INSTANT_PATTERN, type InboxTaskState } from '@handoffs/contracts';
import { InboxTask } from './inbox-task.entity';
import { INBOX_TASKS_ROUTE, inboxTaskRoute, taskIdPipe } from './handoff-routes';
import { INBOX_TASK_STATES, InboxTaskView, inboxTaskView } from './inbox-task.view';
import { conflictWith } from './refusals';

export class InboxQuery {
  @ApiPropertyOptional({ enum: INBOX_TASK_STATES, default: 'open' })
  @IsOptional()
  @IsIn(INBOX_TASK_STATES)
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

@ApiTags('inbox')
@Controller()
export class InboxController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get(INBOX_TASKS_ROUTE)
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

  @Get(inboxTaskRoute())
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
  @Post(inboxTaskRoute('claim'))
  @HttpCode(200)
  @ApiOkResponse({ type: InboxTaskView })
  @ApiNotFoundResponse({ description: 'No such task in this domain' })
  @ApiConflictResponse({ description: 'Closed, or claimed by someone else; the body carries the task' })
  async claim(@Param('taskId', taskIdPipe()) taskId: string, @Body() body: ClaimDto): Promise<InboxTaskView> {
    return this.setClaim(taskId, body.caseworkerId, body.caseworkerId);
  }

  @Post(inboxTaskRoute('release'))
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
      throw conflictWith(`Cannot change the claim: ${why}`, { recorded: inboxTaskView(task) });
    }
    return inboxTaskView(task);
  }
}
