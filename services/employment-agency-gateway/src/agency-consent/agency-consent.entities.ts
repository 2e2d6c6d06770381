import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AgencyConsentOutcome, AgencyConsentRequest, AgencyObjectionReason } from '@handoffs/contracts';
import { AgencyAnswerRecord, AgencyRequestRecord, type AgencyExchange } from '../agency-link/agency-records';

/** One request for the agency's consent to an employment. */
@Entity('agency_consent_request')
export class AgencyConsentRequestRecord extends AgencyRequestRecord {
  @PrimaryColumn({ name: 'consent_request_id', type: 'uuid' })
  consentRequestId!: string;
}

/** The agency's answer to a consent request. */
@Entity('agency_consent_answer')
export class AgencyConsentAnswerRecord extends AgencyAnswerRecord<AgencyConsentOutcome> {
  @PrimaryColumn({ name: 'consent_request_id', type: 'uuid' })
  consentRequestId!: string;

  @Column({ name: 'objection_reason', type: 'text', nullable: true })
  objectionReason!: AgencyObjectionReason | null;

  /** Staff ID of the person at the agency who decided. */
  @Column({ name: 'decided_by', type: 'text' })
  decidedBy!: string;
}

export type ConsentRequestKey = Pick<AgencyConsentRequest, 'consentRequestId'>;

/** Consent requests, by consent request ID. */
export const CONSENT_REQUESTS: AgencyExchange<ConsentRequestKey, AgencyConsentRequestRecord, AgencyConsentAnswerRecord> = {
  requests: AgencyConsentRequestRecord,
  answers: AgencyConsentAnswerRecord,
  keyOf: ({ consentRequestId }) => ({ consentRequestId }),
  nameOf: ({ consentRequestId }) => `consent request ${consentRequestId}`,
};
