import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AgencyInformationItem, AgencyOutcome, AgencyProgramme, AgencyReferral, AgencyRefusalReason } from '@handoffs/contracts';
import { AgencyAnswerRecord, AgencyRequestRecord, type AgencyExchange } from '../agency-link/agency-records';

/** One submission of a referral to the agency (referral ID and round). */
@Entity('agency_submission')
export class AgencySubmission extends AgencyRequestRecord {
  @PrimaryColumn({ name: 'referral_id', type: 'uuid' })
  referralId!: string;

  @PrimaryColumn({ type: 'int' })
  round!: number;

  @Column({ type: 'text' })
  programme!: AgencyProgramme;
}

/** The agency's answer to one submission. */
@Entity('agency_decision')
export class AgencyDecisionRecord extends AgencyAnswerRecord<AgencyOutcome> {
  @PrimaryColumn({ name: 'referral_id', type: 'uuid' })
  referralId!: string;

  @PrimaryColumn({ type: 'int' })
  round!: number;

  @Column({ name: 'refusal_reason', type: 'text', nullable: true })
  refusalReason!: AgencyRefusalReason | null;

  @Column({ type: 'jsonb', nullable: true })
  missing!: AgencyInformationItem[] | null;
}

export type ReferralKey = Pick<AgencyReferral, 'referralId' | 'round'>;

/** Referrals, by referral ID and round: each round is a submission of its own, with an answer of its own. */
export const REFERRALS: AgencyExchange<ReferralKey, AgencySubmission, AgencyDecisionRecord> = {
  requests: AgencySubmission,
  answers: AgencyDecisionRecord,
  keyOf: ({ referralId, round }) => ({ referralId, round }),
  nameOf: ({ referralId, round }) => `referral ${referralId} round ${round}`,
};
