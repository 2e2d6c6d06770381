import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { AgencyInformationItem, AgencyOutcome, AgencyProgramme, AgencyRefusalReason } from '@handoffs/contracts';

/** One submission of a referral to the agency (referral ID and round). No personal data: that only passes through. */
@Entity('agency_submission')
export class AgencySubmission {
  @PrimaryColumn({ name: 'referral_id', type: 'uuid' })
  referralId!: string;

  @PrimaryColumn({ type: 'int' })
  round!: number;

  @Column({ name: 'case_ref', type: 'text' })
  caseRef!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @Column({ type: 'text' })
  programme!: AgencyProgramme;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'send_count', type: 'int', default: 0 })
  sendCount!: number;
}

/** The agency's answer to one submission, as it arrived at the gateway's listener. */
@Entity('agency_decision')
export class AgencyDecisionRecord {
  @PrimaryColumn({ name: 'referral_id', type: 'uuid' })
  referralId!: string;

  @PrimaryColumn({ type: 'int' })
  round!: number;

  @Column({ type: 'text' })
  outcome!: AgencyOutcome;

  @Column({ name: 'refusal_reason', type: 'text', nullable: true })
  refusalReason!: AgencyRefusalReason | null;

  @Column({ type: 'jsonb', nullable: true })
  missing!: AgencyInformationItem[] | null;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt!: Date;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
