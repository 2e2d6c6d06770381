import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { InboxTaskState } from '@handoffs/contracts';
import type { InboxTask } from './inbox-task.entity';

export const INBOX_TASK_STATES: InboxTaskState[] = ['open', 'completed', 'withdrawn'];

export class InboxTaskView {
  @ApiProperty() id!: string;
  @ApiProperty() caseRef!: string;
  @ApiProperty() process!: string;
  @ApiProperty() kind!: string;
  @ApiProperty({ enum: INBOX_TASK_STATES }) state!: InboxTaskState;
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
