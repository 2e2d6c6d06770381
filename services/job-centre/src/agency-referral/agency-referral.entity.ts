import { Column, Entity, PrimaryColumn } from 'typeorm';
import type {
  Actor,
  AgencyInformationItem,
  AgencyOutcome,
  AgencyProgramme,
  AgencyReferralSubject,
  AgencyRefusalReason,
  LanguageLevel,
  WorkPermissionStatus,
} from '@handoffs/contracts';

export type AgencyReferralRecordState = 'precheck' | 'sent' | 'needs-info' | 'accepted' | 'refused';

/** The job centre's record of a referral to the employment agency, and where the case stands. */
@Entity('agency_referral')
export class AgencyReferralRecord {
  @PrimaryColumn({ name: 'case_ref', type: 'text' })
  caseRef!: string;

  @Column({ name: 'referral_id', type: 'uuid', unique: true })
  referralId!: string;

  @Column({ name: 'workflow_id', type: 'text', unique: true })
  workflowId!: string;

  @Column({ type: 'text' })
  programme!: AgencyProgramme;

  @Column({ type: 'jsonb' })
  subject!: AgencyReferralSubject;

  @Column({ name: 'language_level', type: 'text', nullable: true })
  languageLevel!: LanguageLevel | null;

  @Column({ name: 'requested_by', type: 'jsonb' })
  requestedBy!: Actor;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  /** sha256 of the request's content: the same request again is the same handoff; a different one is a conflict. */
  @Column({ name: 'request_fingerprint', type: 'text' })
  requestFingerprint!: string;

  @Column({ type: 'text' })
  state!: AgencyReferralRecordState;

  @Column({ name: 'work_permission', type: 'text', nullable: true })
  workPermission!: WorkPermissionStatus | null;

  /** The latest round sent to the agency (0 before the first). */
  @Column({ type: 'int', default: 0 })
  round!: number;

  @Column({ name: 'decided_round', type: 'int', nullable: true })
  decidedRound!: number | null;

  @Column({ type: 'text', nullable: true })
  outcome!: AgencyOutcome | null;

  @Column({ name: 'refusal_reason', type: 'text', nullable: true })
  refusalReason!: AgencyRefusalReason | null;

  @Column({ type: 'jsonb', nullable: true })
  missing!: AgencyInformationItem[] | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  /** Who delivers the programme: the job centre until the agency accepts (it stays responsible for the case, § 89 Abs. 2 SGB X). */
  @Column({ name: 'programme_carrier', type: 'text', default: 'job-centre' })
  programmeCarrier!: 'job-centre' | 'employment-agency';
}
