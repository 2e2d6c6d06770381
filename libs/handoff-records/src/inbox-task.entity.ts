import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique } from 'typeorm';
import type { Actor, InboxTaskState, Process } from '@handoffs/contracts';

/** A handoff task assigned to this domain: its caseworkers list, claim and complete it. */
@Entity('inbox_task')
@Unique('inbox_task_once_per_handoff', ['workflowId', 'kind'])
export class InboxTask {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @Column({ name: 'case_ref', type: 'text' })
  caseRef!: string;

  @Column({ type: 'text' })
  process!: Process;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  state!: InboxTaskState;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'jsonb' })
  details!: object;

  /** Staff ID of the caseworker working on it, if one has claimed it. */
  @Column({ name: 'claimed_by', type: 'text', nullable: true })
  claimedBy!: string | null;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  @Column({ name: 'completed_by', type: 'jsonb', nullable: true })
  completedBy!: Actor | null;

  @Column({ type: 'jsonb', nullable: true })
  resolution!: object | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
