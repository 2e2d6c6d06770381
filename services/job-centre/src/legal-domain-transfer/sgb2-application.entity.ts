import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Actor, LegalDomainTransferOutcome, Sgb2ApplicationDecision } from '@handoffs/contracts';

/** An advance (§ 42 SGB I) paid while the decision was outstanding, so that SGB II started without a gap. */
export interface Sgb2AdvanceRecord {
  from: string;
  grantedAt: string;
  ruleSetVersion: string;
  legalBasis: string;
}

/** The job centre's SGB II application handed over by social services after recognition. */
@Entity('sgb2_application')
export class Sgb2Application {
  @PrimaryColumn({ name: 'case_ref', type: 'text' })
  caseRef!: string;

  @Column({ name: 'workflow_id', type: 'text', unique: true })
  workflowId!: string;

  @Column({ name: 'asylblg_end', type: 'date' })
  asylblgEnd!: string;

  /** SGB II starts the day after AsylbLG ends. */
  @Column({ name: 'starts_on', type: 'date' })
  startsOn!: string;

  @Column({ name: 'filed_on', type: 'date' })
  filedOn!: string;

  @Column({ name: 'handed_over_by', type: 'jsonb' })
  handedOverBy!: Actor;

  @Column({ type: 'text' })
  state!: 'received' | 'advance-paid' | 'decided';

  @Column({ type: 'text', nullable: true })
  outcome!: LegalDomainTransferOutcome | null;

  @Column({ type: 'jsonb', nullable: true })
  advance!: Sgb2AdvanceRecord | null;

  @Column({ type: 'jsonb', nullable: true })
  decision!: Sgb2ApplicationDecision | null;

  @Column({ name: 'award_from', type: 'date', nullable: true })
  awardFrom!: string | null;

  @Column({ name: 'award_until', type: 'date', nullable: true })
  awardUntil!: string | null;

  @Column({ name: 'decided_by', type: 'jsonb', nullable: true })
  decidedBy!: Actor | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  /** The rule set the decision was taken under (DOMAIN.md §8 invariant 8). */
  @Column({ name: 'rule_set_version', type: 'text', nullable: true })
  ruleSetVersion!: string | null;
}

/** A claim by social services for days both carriers paid for (§§ 105, 107 SGB X), settled between carriers. */
@Entity('reimbursement_claim')
export class ReimbursementClaim {
  @PrimaryColumn({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @Column({ name: 'case_ref', type: 'text' })
  caseRef!: string;

  @Column({ type: 'text' })
  claimant!: 'social-services';

  @Column({ name: 'days_from', type: 'date' })
  daysFrom!: string;

  @Column({ name: 'days_to', type: 'date' })
  daysTo!: string;

  @Column({ name: 'day_count', type: 'int' })
  dayCount!: number;

  /** § 111 SGB X: the claim must be asserted within 12 months. */
  @Column({ name: 'assert_by', type: 'date' })
  assertBy!: string;

  @Column({ name: 'legal_basis', type: 'text' })
  legalBasis!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
