import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Actor, ConcernReason, ParticipationFinding } from '@handoffs/contracts';

/** The KSD's part in a deportation case: who took part, what they found, and the date they may see, time-boxed. */
@Entity('deportation_participation')
export class DeportationParticipation {
  @PrimaryColumn({ name: 'case_ref', type: 'text' })
  caseRef!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @Column({ type: 'text' })
  state!: 'participated' | 'released';

  /** The assigned social worker; cleared when the assignment is released. */
  @Column({ name: 'social_worker', type: 'jsonb', nullable: true })
  socialWorker!: Actor | null;

  @Column({ type: 'text' })
  finding!: ParticipationFinding['finding'];

  @Column({ name: 'concern_reason', type: 'text', nullable: true })
  concernReason!: ConcernReason | null;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  /** Need-to-know: shown only to the assigned social worker, within the window below. */
  @Column({ name: 'planned_at', type: 'timestamptz', nullable: true })
  plannedAt!: Date | null;

  @Column({ name: 'date_visible_from', type: 'timestamptz', nullable: true })
  dateVisibleFrom!: Date | null;

  @Column({ name: 'date_visible_until', type: 'timestamptz', nullable: true })
  dateVisibleUntil!: Date | null;

  @Column({ name: 'released_at', type: 'timestamptz', nullable: true })
  releasedAt!: Date | null;

  @Column({ name: 'release_reason', type: 'text', nullable: true })
  releaseReason!: string | null;
}

/** AsylbLG benefits of a family facing deportation: they end on the day of departure, and are restored if it is called off. */
@Entity('deportation_asylblg_benefit')
export class DeportationBenefit {
  @PrimaryColumn({ name: 'case_ref', type: 'text' })
  caseRef!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  /** ending: payments stop after `endsOn` (planned); ended: departed on `endsOn`; restored: the deportation was called off. */
  @Column({ type: 'text' })
  state!: 'ending' | 'ended' | 'restored';

  @Column({ name: 'ends_on', type: 'date', nullable: true })
  endsOn!: string | null;

  @Column({ name: 'restored_at', type: 'timestamptz', nullable: true })
  restoredAt!: Date | null;

  @Column({ name: 'restore_reason', type: 'text', nullable: true })
  restoreReason!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
