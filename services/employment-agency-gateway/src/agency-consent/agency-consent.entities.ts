import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { AgencyConsentOutcome, AgencyObjectionReason } from '@handoffs/contracts';

/** One request for the agency's consent to an employment. No personal data: that only passes through. */
@Entity('agency_consent_request')
export class AgencyConsentRequestRecord {
  @PrimaryColumn({ name: 'consent_request_id', type: 'uuid' })
  consentRequestId!: string;

  @Column({ name: 'case_ref', type: 'text' })
  caseRef!: string;

  @Column({ name: 'workflow_id', type: 'text' })
  workflowId!: string;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'send_count', type: 'int', default: 0 })
  sendCount!: number;
}

/** The agency's first answer to a consent request, as it arrived at the gateway's listener. */
@Entity('agency_consent_answer')
export class AgencyConsentAnswerRecord {
  @PrimaryColumn({ name: 'consent_request_id', type: 'uuid' })
  consentRequestId!: string;

  @Column({ type: 'text' })
  outcome!: AgencyConsentOutcome;

  @Column({ name: 'objection_reason', type: 'text', nullable: true })
  objectionReason!: AgencyObjectionReason | null;

  /** Staff ID of the person at the agency who decided. */
  @Column({ name: 'decided_by', type: 'text' })
  decidedBy!: string;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt!: Date;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
