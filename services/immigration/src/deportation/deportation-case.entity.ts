import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Actor, CancellationReason, DeportationFamily, NightOverride } from '@handoffs/contracts';

/** The immigration office's deportation case. `plannedDate`, `plannedAt` are shown to enforcement only. */
@Entity('deportation_case')
export class DeportationCase {
  @PrimaryColumn({ name: 'case_ref', type: 'text' })
  caseRef!: string;

  @Column({ name: 'workflow_id', type: 'text', unique: true })
  workflowId!: string;

  @Column({ name: 'requested_by', type: 'jsonb' })
  requestedBy!: Actor;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  /** sha256 of the request's content: the same request again is the same case; a different one is a conflict. */
  @Column({ name: 'request_fingerprint', type: 'text' })
  requestFingerprint!: string;

  @Column({ type: 'jsonb' })
  family!: DeportationFamily;

  @Column({ name: 'planned_date', type: 'date' })
  plannedDate!: string;

  @Column({ name: 'planned_at', type: 'timestamptz', nullable: true })
  plannedAt!: Date | null;

  @Column({ name: 'scheduled_by', type: 'jsonb', nullable: true })
  scheduledBy!: Actor | null;

  /** The logged override of the NRW night rule: why, and who decided. */
  @Column({ name: 'night_override', type: 'jsonb', nullable: true })
  nightOverride!: NightOverride | null;

  @Column({ type: 'text' })
  state!: 'open' | 'executed' | 'cancelled';

  @Column({ name: 'cancellation_reason', type: 'text', nullable: true })
  cancellationReason!: CancellationReason | null;

  @Column({ name: 'departed_at', type: 'timestamptz', nullable: true })
  departedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
