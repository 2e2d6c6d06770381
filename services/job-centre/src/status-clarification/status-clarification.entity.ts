import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Actor, StatusAnswer, StatusClarificationOutcome, StatusInquiry } from '@handoffs/contracts';

/** The job centre's record of a status clarification it asked for, and the answer once it arrives. */
@Entity('status_clarification')
export class StatusClarificationRecord {
  @PrimaryColumn({ name: 'case_ref', type: 'text' })
  caseRef!: string;

  @Column({ name: 'workflow_id', type: 'text', unique: true })
  workflowId!: string;

  @Column({ type: 'jsonb' })
  inquiry!: StatusInquiry;

  @Column({ name: 'requested_by', type: 'jsonb' })
  requestedBy!: Actor;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  /** sha256 of the request's content: the same request again is the same handoff; a different one is a conflict. */
  @Column({ name: 'request_fingerprint', type: 'text' })
  requestFingerprint!: string;

  @Column({ type: 'text' })
  state!: 'requested' | 'answered' | 'withdrawn';

  /** Who withdrew the inquiry, when and why. */
  @Column({ type: 'jsonb', nullable: true })
  withdrawal!: { withdrawnBy: Actor; reason: string; withdrawnAt: string } | null;

  @Column({ type: 'text', nullable: true })
  outcome!: StatusClarificationOutcome | null;

  @Column({ type: 'jsonb', nullable: true })
  answer!: StatusAnswer | null;

  @Column({ name: 'answered_by', type: 'jsonb', nullable: true })
  answeredBy!: Actor | null;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  /** The status is valid until this day; placement must not rely on it afterwards. */
  @Column({ name: 'valid_until', type: 'date', nullable: true })
  validUntil!: string | null;
}
