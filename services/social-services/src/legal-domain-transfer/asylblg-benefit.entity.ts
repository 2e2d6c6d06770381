import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Actor, PaymentPeriod, Recognition } from '@handoffs/contracts';

/** The caseworker's termination decision (Einstellungsbescheid): who, when, under which rule set. */
export interface AsylbLGTerminationDecision {
  effectiveDate: string;
  decidedBy: Actor;
  decidedAt: string;
  ruleSetVersion: string;
}

export interface AsylbLGReimbursementClaim {
  days: PaymentPeriod;
  dayCount: number;
  assertBy: string;
  /** The carrier the claim is asserted against. */
  against: 'job-centre';
  legalBasis: string;
}

/** Social services' AsylbLG benefit record of a person whose recognition ends the AsylbLG entitlement. */
@Entity('asylblg_benefit')
export class AsylbLGBenefit {
  @PrimaryColumn({ name: 'case_ref', type: 'text' })
  caseRef!: string;

  @Column({ name: 'workflow_id', type: 'text', unique: true })
  workflowId!: string;

  @Column({ type: 'jsonb' })
  recognition!: Recognition;

  @Column({ name: 'reported_by', type: 'jsonb' })
  reportedBy!: Actor;

  @Column({ name: 'reported_at', type: 'timestamptz' })
  reportedAt!: Date;

  /** sha256 of the report's content: the same report again is the same transfer; a different one is a conflict. */
  @Column({ name: 'request_fingerprint', type: 'text' })
  requestFingerprint!: string;

  @Column({ type: 'date' })
  since!: string;

  /** One entry per paid period (monthly in advance). */
  @Column({ type: 'jsonb' })
  payments!: PaymentPeriod[];

  @Column({ type: 'text' })
  state!: 'running' | 'ending' | 'ended';

  @Column({ name: 'ends_on', type: 'date', nullable: true })
  endsOn!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  termination!: AsylbLGTerminationDecision | null;

  @Column({ type: 'jsonb', nullable: true })
  reimbursement!: AsylbLGReimbursementClaim | null;
}
