import type { Duration } from '@temporalio/common';
import type { Actor, DeadlineView, HandoffInput } from './handoff';
import type { TransferRecord } from './transfers';
import { RECOGNITION_KINDS, type Recognition } from './legal-domain-transfer';

/** The closed question list of a status inquiry (DOMAIN.md P1, step 3). */
export const STATUS_QUESTIONS = [
  'employment-permitted',
  'permission-application-pending',
  'document-validity',
  'residence-obligation',
] as const;
export type StatusQuestion = (typeof STATUS_QUESTIONS)[number];

/** The minimum identifiers the immigration office needs to find the person. Personal data. */
export interface InquirySubject {
  /** AZR-Nummer, where the job centre knows it; an opaque string. */
  azrNumber?: string;
  familyName: string;
  givenNames: string;
  /** ISO date, YYYY-MM-DD. */
  dateOfBirth: string;
}

/**
 * The employment the job centre has in view (DOMAIN.md P1, JC → ABH: "if permission needed: employer,
 * job, hours, wage, start date"). Needed where a permission depends on the employment agency's consent.
 */
export interface PlannedEmployment {
  employer: string;
  occupation: string;
  hoursPerWeek: number;
  /** Gross monthly wage in euros. */
  grossMonthlyWage: number;
  /** ISO date, YYYY-MM-DD. */
  startDate: string;
}

export interface StatusInquiry {
  subject: InquirySubject;
  questions: StatusQuestion[];
  plannedEmployment?: PlannedEmployment;
}

export const RESIDENCE_DOCUMENTS = [
  'residence-permit', // Aufenthaltserlaubnis
  'settlement-permit', // Niederlassungserlaubnis
  'eu-blue-card', // Blaue Karte EU
  'fictional-certificate', // Fiktionsbescheinigung
  'toleration', // Duldung
  'permission-to-stay-asylum', // Aufenthaltsgestattung
] as const;
export type ResidenceDocument = (typeof RESIDENCE_DOCUMENTS)[number];

export const EMPLOYMENT_PERMISSIONS = ['ALLOWED', 'NEEDS_PERMISSION', 'PROHIBITED', 'PENDING'] as const;
export type EmploymentPermission = (typeof EMPLOYMENT_PERMISSIONS)[number];

/**
 * The employment agency's consent (§ 39 AufenthG), where the permission needs it. The immigration
 * caseworker says `required`; the workflow records how it ended: `given` or `objected` by a person at
 * the agency, or `deemed` given because the agency did not object within two weeks (§ 36 Abs. 2 BeschV).
 */
export const AGENCY_CONSENT_STATES = ['required', 'given', 'deemed', 'objected'] as const;
export type AgencyConsentState = (typeof AGENCY_CONSENT_STATES)[number];

/** How the agency's consent step ended; set by the workflow, never by the immigration caseworker. */
export interface AgencyConsentDecision {
  /** Staff ID of the person at the agency who decided; null when the consent is deemed given. */
  decidedBy: string | null;
  decidedAt: string;
  /** With `objected`: the agency's reason code (its decision, not the immigration office's). */
  objectionReason?: string;
}

/** Wohnsitzauflage (§ 12a AufenthG). */
export interface ResidenceObligation {
  land: string;
  municipality?: string;
  until: string;
}

/** The immigration office's answer: status facts only, never asylum grounds, health or criminal data. */
export interface StatusAnswer {
  residenceDocument: ResidenceDocument;
  /** The section the status rests on, e.g. "§ 25 Abs. 2 AufenthG". */
  legalBasis: string;
  validFrom: string;
  validUntil: string;
  employmentPermission: EmploymentPermission;
  /** e.g. "only with employer X"; present only when employment is allowed with a restriction. */
  employmentRestriction?: string;
  residenceObligation?: ResidenceObligation;
  /** Only with NEEDS_PERMISSION, and only if the inquiry names the planned employment. */
  agencyConsent?: AgencyConsentState;
  /** Set by the workflow when the consent step has ended. */
  agencyDecision?: AgencyConsentDecision;
  /**
   * The person's status has changed in a way that ends AsylbLG entitlement (e.g. recognition):
   * the outcome is STATUS_CHANGE, and social services is told so that it starts the legal-domain transfer.
   */
  statusChange?: Recognition;
}

export const STATUS_CLARIFICATION_OUTCOMES = [
  'CLEARED',
  'CLEARED_WITH_RESTRICTION',
  'PENDING_PERMISSION',
  'BLOCKED',
  'STATUS_CHANGE',
] as const;
export type StatusClarificationOutcome = (typeof STATUS_CLARIFICATION_OUTCOMES)[number];

export function outcomeOf(answer: StatusAnswer): StatusClarificationOutcome {
  if (answer.statusChange) {
    return 'STATUS_CHANGE';
  }
  switch (answer.employmentPermission) {
    case 'ALLOWED':
      return answer.employmentRestriction ? 'CLEARED_WITH_RESTRICTION' : 'CLEARED';
    case 'NEEDS_PERMISSION':
      if (answer.agencyConsent === 'given' || answer.agencyConsent === 'deemed') return 'CLEARED';
      if (answer.agencyConsent === 'objected') return 'BLOCKED';
      return 'PENDING_PERMISSION';
    case 'PENDING':
      return 'PENDING_PERMISSION';
    case 'PROHIBITED':
      return 'BLOCKED';
  }
}

/** How a status clarification ended: one of the outcomes, or withdrawn by the job centre. */
export type StatusClarificationEnd = StatusClarificationOutcome | 'WITHDRAWN';

/** Stages of status clarification (DOMAIN.md §8), as shown in `HandoffStage`. */
export type StatusClarificationStage =
  | 'REQUESTED'
  | 'ABH_ASKED'
  | 'BA_CONSENT_PENDING'
  | 'ANSWERED'
  | 'RECHECK_SCHEDULED'
  | 'RECHECK_DUE'
  | 'CLOSED'
  | 'WITHDRAWN';

export interface StatusClarificationInput extends HandoffInput {
  caseRef: string;
  requestedBy: Actor;
  /** ISO timestamp of the caseworker's request; selects the SLA policy in force. */
  requestedAt: string;
  inquiry: StatusInquiry;
  /** How long the immigration office has to answer, from the SLA policy, e.g. "7 days". */
  answerWithin: Duration;
  /** How long before the status expires the job centre gets a re-check task, from the SLA policy. */
  recheckBefore: Duration;
  /**
   * How long the employment agency has to object before its consent is deemed given (SLA kind
   * `ba-consent`, § 36 Abs. 2 BeschV). Absent in inputs from before the consent step: the policy then applies.
   */
  agencyConsentWithin?: Duration;
  /** How long social services has to report a status change as a recognition (P3a), from the SLA policy. */
  statusChangeReportWithin?: Duration;
}

/** The job centre takes its inquiry back (e.g. the placement fell through). */
export interface StatusClarificationWithdrawal {
  withdrawnBy: Actor;
  reason: string;
}

export interface StatusClarificationAnswered {
  caseRef: string;
  outcome: StatusClarificationOutcome;
  answer: StatusAnswer;
  answeredBy: Actor;
  answeredAt: string;
  /** `register`: answered from the immigration office's current record, with no person involved. */
  answeredFrom: 'caseworker' | 'register';
}

export interface StatusClarificationWithdrawn {
  caseRef: string;
  outcome: 'WITHDRAWN';
  withdrawal: StatusClarificationWithdrawal;
  withdrawnAt: string;
}

export type StatusClarificationResult = StatusClarificationAnswered | StatusClarificationWithdrawn;

/** The decision an immigration caseworker sends through the `answerStatusInquiry` Update. */
export interface StatusInquiryDecision {
  taskId: string;
  answeredBy: Actor;
  answer: StatusAnswer;
}

export interface StatusClarificationState {
  caseRef: string;
  stage: StatusClarificationStage;
  waitingOn: string | null;
  dueAt: string;
  stuck: boolean;
  escalationLevel: number;
  deadline: DeadlineView;
  outcome: StatusClarificationEnd | null;
  answeredBy: Actor | null;
  answer: StatusAnswer | null;
}

/**
 * Checks an answer for consistency, and against the inquiry it answers where given; returns the
 * reasons it cannot be accepted (empty when valid).
 */
export function answerProblems(answer: StatusAnswer, inquiry?: StatusInquiry): string[] {
  const problems: string[] = [];
  if (answer.validUntil < answer.validFrom) {
    problems.push('validUntil lies before validFrom');
  }
  if (answer.employmentRestriction && answer.employmentPermission !== 'ALLOWED') {
    problems.push('employmentRestriction is only given when employment is ALLOWED');
  }
  if (answer.statusChange) {
    if (!(RECOGNITION_KINDS as readonly string[]).includes(answer.statusChange.kind)) {
      problems.push(`statusChange.kind must be one of ${RECOGNITION_KINDS.join(', ')}`);
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(answer.statusChange.servedOn ?? '')) {
      problems.push('statusChange.servedOn must be a date YYYY-MM-DD');
    }
    if (answer.agencyConsent !== undefined) {
      problems.push('a status change is answered on its own: the consent step follows the new status');
    }
  }
  if (answer.agencyConsent !== undefined) {
    if (answer.agencyConsent !== 'required') {
      problems.push("agencyConsent from the immigration office can only be 'required': the employment agency gives or refuses it");
    } else if (answer.employmentPermission !== 'NEEDS_PERMISSION') {
      problems.push('agencyConsent is only required when employmentPermission is NEEDS_PERMISSION');
    } else if (inquiry && !inquiry.plannedEmployment) {
      problems.push('agencyConsent can only be required when the inquiry names the planned employment (employer, job, hours, wage, start date)');
    }
  }
  if (answer.agencyDecision !== undefined) {
    problems.push("agencyDecision is recorded from the employment agency's answer, not given by the immigration office");
  }
  return problems;
}

/** The status-clarification steps that run on the job centre's and the immigration office's queues (idempotent). */
export interface StatusAnswerDelivery {
  workflowId: string;
  caseRef: string;
  outcome: StatusClarificationOutcome;
  answer: StatusAnswer;
  answeredBy: Actor;
  answeredAt: string;
  receivedTransfer: TransferRecord;
}

export interface JobCentreStatusActivities {
  deliverStatusAnswer(delivery: StatusAnswerDelivery): Promise<void>;
}

/** The immigration office's own register of residence status (its database, its queue). */
export interface ImmigrationRegisterActivities {
  /**
   * The status on record for the subject if it is current (verified recently, valid for a while yet)
   * and answers the questions without a person's judgement; null when a caseworker must look.
   */
  findCurrentStatus(subject: InquirySubject, questions: StatusQuestion[]): Promise<StatusAnswer | null>;
}

/** The inbox tasks of P1: the inquiry at the immigration office, the re-check before expiry, the notice of a status change. */
export const STATUS_CLARIFICATION_TASKS = {
  inquiry: 'status-inquiry',
  recheck: 'status-recheck',
  statusChange: 'status-change-notice',
} as const;
