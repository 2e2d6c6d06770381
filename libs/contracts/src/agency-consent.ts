import type { InquirySubject, PlannedEmployment, ResidenceDocument } from './status-clarification';
import type { TransferFlow, TransferRecord } from './transfers';

/**
 * P1 step 4: where a permission needs it, the immigration office asks the employment agency (BA) for
 * its consent to the employment (§ 39 AufenthG), through the gateway. The consent is deemed given if
 * the agency does not object within two weeks of the request (§ 36 Abs. 2 BeschV).
 */

/** The request the immigration office sends (DOMAIN.md P1 step 4): who, which job, on which residence title. */
export interface AgencyConsentRequest {
  /** Chosen by the workflow; the agency treats every request with this ID as one. */
  consentRequestId: string;
  caseRef: string;
  subject: InquirySubject;
  plannedEmployment: PlannedEmployment;
  residenceDocument: ResidenceDocument;
  /** The section the residence title rests on, e.g. "§ 19c Abs. 1 AufenthG". */
  legalBasis: string;
}

export const AGENCY_CONSENT_OUTCOMES = ['CONSENT', 'OBJECTION'] as const;
export type AgencyConsentOutcome = (typeof AGENCY_CONSENT_OUTCOMES)[number];

/** Why the agency objects (reason codes; § 39 Abs. 2, 3 AufenthG). */
export const AGENCY_OBJECTION_REASONS = [
  'wage-below-comparable-workers', // worse terms than comparable German employees (§ 39 Abs. 2 S. 1 AufenthG)
  'working-hours-above-limit', // working conditions (ArbZG)
  'priority-check-failed', // Vorrangprüfung, where it applies
] as const;
export type AgencyObjectionReason = (typeof AGENCY_OBJECTION_REASONS)[number];

/** The agency's answer, as it arrives at the gateway and then, as a Signal, at the workflow. */
export interface AgencyConsentAnswer {
  consentRequestId: string;
  outcome: AgencyConsentOutcome;
  /** Only with OBJECTION. */
  objectionReason?: AgencyObjectionReason;
  /** Staff ID of the person at the agency who decided: an objection is a person's decision. */
  decidedBy: string;
  decidedAt: string;
}

/** The agency's receipt: it has the request and will answer later (or not at all). */
export interface AgencyConsentReceipt {
  consentRequestId: string;
  receivedAt: string;
}

/** Reasons an answer cannot be taken as it is (empty when valid). */
export function agencyConsentAnswerProblems(answer: Partial<AgencyConsentAnswer> | undefined): string[] {
  const a = answer ?? {};
  const problems: string[] = [];
  if (!(AGENCY_CONSENT_OUTCOMES as readonly string[]).includes(a.outcome ?? '')) {
    return [`outcome must be one of ${AGENCY_CONSENT_OUTCOMES.join(', ')}`];
  }
  if (a.outcome === 'OBJECTION' && !(AGENCY_OBJECTION_REASONS as readonly string[]).includes(a.objectionReason ?? '')) {
    problems.push(`an objection names its reason, one of ${AGENCY_OBJECTION_REASONS.join(', ')}`);
  }
  if (a.outcome === 'CONSENT' && a.objectionReason !== undefined) {
    problems.push('objectionReason is only given with OBJECTION');
  }
  if (typeof a.decidedBy !== 'string' || !/^[a-z0-9._-]{2,64}$/.test(a.decidedBy)) {
    problems.push('decidedBy must be a staff ID');
  }
  if (typeof a.decidedAt !== 'string' || Number.isNaN(Date.parse(a.decidedAt))) {
    problems.push('decidedAt must be an ISO timestamp');
  }
  return problems;
}

/** The transfer flow of the consent step (transfer matrix T11); the agency is reached through the gateway. */
export const AGENCY_CONSENT_FLOWS = {
  consentRequest: {
    id: 'P1-ABH-AA-CONSENT-REQUEST',
    from: 'immigration',
    to: 'employment-agency-gateway',
    legalBasis: '§ 39 AufenthG; § 36 Abs. 2 BeschV',
    purpose: 'Consent of the Federal Employment Agency to the employment of a foreign national: identifiers, residence title and the planned employment (employer, job, hours, wage, start date)',
  },
} as const satisfies Record<string, TransferFlow>;

/** Activities on the gateway's task queue, in the gateway's process. */
export interface AgencyConsentSubmission {
  workflowId: string;
  request: AgencyConsentRequest;
  receivedTransfer: TransferRecord;
}

export interface AgencyConsentGatewayActivities {
  /** Records the request in the gateway's tables and sends it to the agency; idempotent by consent request ID. */
  requestAgencyConsent(submission: AgencyConsentSubmission): Promise<AgencyConsentReceipt>;
}
