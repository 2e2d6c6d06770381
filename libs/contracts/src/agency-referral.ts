import type { Duration } from '@temporalio/common';
import type { Actor, StuckReasonCode, HandoffInput } from './handoff';
import type { StatusClarificationOutcome } from './status-clarification';
import type { TransferFlow, TransferRecord } from './transfers';

/**
 * P3b: the job centre refers an SGB II client to the employment agency (Agentur für Arbeit) for one
 * of its programmes (DOMAIN.md P3b). The gateway carries the referral to the agency's own system
 * over a @nestjs/microservices transport; the agency answers asynchronously.
 */
export const AGENCY_PROGRAMMES = [
  'competence-assessment', // PerF-like competence assessment
  'career-guidance', // Berufsberatung
  'apprenticeship-placement', // Ausbildungsvermittlung
  'rehabilitation', // berufliche Rehabilitation
] as const;
export type AgencyProgramme = (typeof AGENCY_PROGRAMMES)[number];

/** CEFR levels, lowest first. */
export const LANGUAGE_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;
export type LanguageLevel = (typeof LANGUAGE_LEVELS)[number];

/** The BA-Kundennummer (§ 51a SGB II): three digits, a letter, six digits. An identifier, personal data. */
export const BA_CUSTOMER_NUMBER_PATTERN = /^\d{3}[A-Z]\d{6}$/;

/** The work permission as the job centre knows it from status clarification (P1), or not clarified yet. */
export type WorkPermissionStatus = StatusClarificationOutcome | 'NOT_CLARIFIED';

/** Who is referred: the minimum the agency needs to find or open its customer record. Personal data. */
export interface AgencyReferralSubject {
  baCustomerNumber: string;
  familyName: string;
  givenNames: string;
  /** ISO date, YYYY-MM-DD. */
  dateOfBirth: string;
}

/** Information the agency may ask for before it decides (NEEDS_INFO), and the job centre supplies. */
export const AGENCY_INFORMATION_ITEMS = ['languageLevel'] as const;
export type AgencyInformationItem = (typeof AGENCY_INFORMATION_ITEMS)[number];
export interface AgencyInformation {
  languageLevel?: LanguageLevel;
}

/** One submission of a referral to the agency: the minimum dataset (§ 50 Abs. 1 SGB II). */
export interface AgencyReferral {
  /** Chosen by the job centre; the agency treats every submission with this ID and round as one. */
  referralId: string;
  /** 1 for the first submission, +1 for each re-submission with information the agency asked for. */
  round: number;
  caseRef: string;
  programme: AgencyProgramme;
  subject: AgencyReferralSubject;
  workPermission: WorkPermissionStatus;
  languageLevel?: LanguageLevel;
}

export const AGENCY_OUTCOMES = ['ACCEPTED', 'REFUSED', 'NEEDS_INFO'] as const;
export type AgencyOutcome = (typeof AGENCY_OUTCOMES)[number];

/** Why the agency refuses (reason codes; the case stays with the job centre). */
export const AGENCY_REFUSAL_REASONS = [
  'work-permission-not-cleared',
  'language-level-below-entry',
  'age-outside-programme',
  'no-programme-capacity',
] as const;
export type AgencyRefusalReason = (typeof AGENCY_REFUSAL_REASONS)[number];

export interface AgencyDecision {
  outcome: AgencyOutcome;
  /** Only with REFUSED. */
  refusalReason?: AgencyRefusalReason;
  /** Only with NEEDS_INFO: what the agency needs before it decides. */
  missing?: AgencyInformationItem[];
}

/** The agency's answer to one submission, as it arrives at the gateway and then at the workflow. */
export interface AgencyAnswer {
  referralId: string;
  round: number;
  decision: AgencyDecision;
  decidedAt: string;
}

/** The agency's receipt for a submission: it has the referral and will answer later. */
export interface AgencyReceipt {
  referralId: string;
  round: number;
  receivedAt: string;
}

/** Message patterns of the transport between the gateway and the agency's system. */
export const AGENCY_TRANSPORT_PATTERNS = {
  /** gateway → agency: a referral (request–response: the agency acknowledges receipt). */
  submitReferral: 'agency-referral.submit',
  /** agency → gateway: the decision on a referral, some time later (request–response: the gateway acknowledges). */
  answer: 'agency-referral.answer',
  /** gateway → agency: a request for consent to an employment (§ 39 AufenthG; request–response: a receipt). */
  requestConsent: 'agency-consent.request',
  /** agency → gateway: consent or objection, some time later (request–response: the gateway acknowledges). */
  consentAnswer: 'agency-consent.answer',
} as const;

/** Reasons a decision cannot be taken as it is (empty when valid). */
export function agencyDecisionProblems(decision: AgencyDecision | undefined): string[] {
  if (!decision || !(AGENCY_OUTCOMES as readonly string[]).includes(decision.outcome)) {
    return [`outcome must be one of ${AGENCY_OUTCOMES.join(', ')}`];
  }
  const problems: string[] = [];
  if (decision.outcome === 'REFUSED') {
    if (!(AGENCY_REFUSAL_REASONS as readonly string[]).includes(decision.refusalReason ?? '')) {
      problems.push(`a refusal names its reason, one of ${AGENCY_REFUSAL_REASONS.join(', ')}`);
    }
  } else if (decision.refusalReason !== undefined) {
    problems.push('refusalReason is only given with REFUSED');
  }
  if (decision.outcome === 'NEEDS_INFO') {
    const missing = decision.missing ?? [];
    if (missing.length === 0 || missing.some((item) => !(AGENCY_INFORMATION_ITEMS as readonly string[]).includes(item))) {
      problems.push(`a request for information names what is missing, from ${AGENCY_INFORMATION_ITEMS.join(', ')}`);
    }
  } else if (decision.missing !== undefined) {
    problems.push('missing is only given with NEEDS_INFO');
  }
  return problems;
}

/** Reasons supplied information does not answer what the agency asked for (empty when it does). */
export function agencyInformationProblems(information: AgencyInformation | undefined, missing: AgencyInformationItem[]): string[] {
  const problems: string[] = [];
  const supplied = information ?? {};
  for (const item of missing) {
    if (supplied[item] === undefined) {
      problems.push(`${item} is what the agency asked for`);
    }
  }
  if (supplied.languageLevel !== undefined && !(LANGUAGE_LEVELS as readonly string[]).includes(supplied.languageLevel)) {
    problems.push(`languageLevel must be a CEFR level, one of ${LANGUAGE_LEVELS.join(', ')}`);
  }
  return problems;
}

/** Stages of the referral (DOMAIN.md §8 `AgencyReferral`), as shown in `HandoffStage`. */
export type AgencyReferralStage = 'PRECHECK' | 'SENT' | 'NEEDS_INFO' | 'ACCEPTED' | 'REFUSED';

export interface AgencyReferralInput extends HandoffInput {
  caseRef: string;
  referralId: string;
  requestedBy: Actor;
  /** ISO timestamp of the caseworker's request; selects the SLA policies in force. */
  requestedAt: string;
  programme: AgencyProgramme;
  subject: AgencyReferralSubject;
  languageLevel?: LanguageLevel;
  /** How long the agency has to decide (SLA kind `agency-decision`). */
  decisionWithin: Duration;
  /** How long the job centre has to supply information the agency asked for (SLA kind `agency-information`). */
  informationWithin: Duration;
  /** How often an unanswered submission is sent again (the agency treats it as the same referral). */
  resubmitEvery: Duration;
}

export interface AgencyReferralResult {
  caseRef: string;
  referralId: string;
  outcome: Exclude<AgencyOutcome, 'NEEDS_INFO'>;
  refusalReason: AgencyRefusalReason | null;
  rounds: number;
  decidedAt: string;
}

/** What a job-centre caseworker sends through the `supplyAgencyInformation` Update. */
export interface AgencyInformationSupply {
  taskId: string;
  suppliedBy: Actor;
  information: AgencyInformation;
}

export interface AgencyInformationSupplied {
  caseRef: string;
  taskId: string;
  /** The round in which the referral goes to the agency again. */
  nextRound: number;
  suppliedAt: string;
}

export interface AgencyReferralState {
  caseRef: string;
  referralId: string;
  stage: AgencyReferralStage;
  round: number;
  waitingOn: string | null;
  dueAt: string | null;
  stuck: boolean;
  stuckReason: StuckReasonCode | null;
  escalationLevel: number;
  workPermission: WorkPermissionStatus | null;
  /** While NEEDS_INFO: the open job-centre task and what the agency asked for. */
  informationTaskId: string | null;
  missing: AgencyInformationItem[];
  outcome: AgencyOutcome | null;
  refusalReason: AgencyRefusalReason | null;
}

/** The inbox task the job centre gets when the agency asks for information. */
export const AGENCY_INFORMATION_TASK = 'agency-information-request';

/** The transfer flows of P3b; the agency is reached through the gateway domain. */
export const AGENCY_REFERRAL_FLOWS = {
  referral: {
    id: 'P3B-JC-AA-REFERRAL',
    from: 'job-centre',
    to: 'employment-agency-gateway',
    legalBasis: '§ 50 Abs. 1 SGB II; §§ 88, 89 SGB X',
    purpose: 'Referral of an SGB II client to an employment-agency programme (commission, §§ 88, 89 SGB X): minimum dataset with BA-Kundennummer',
  },
  information: {
    id: 'P3B-JC-AA-INFORMATION',
    from: 'job-centre',
    to: 'employment-agency-gateway',
    legalBasis: '§ 50 Abs. 1 SGB II; §§ 88, 89 SGB X',
    purpose: 'Referral to an employment-agency programme, sent again with the information the agency asked for',
  },
  informationRequest: {
    id: 'P3B-AA-JC-INFO-REQUEST',
    from: 'employment-agency-gateway',
    to: 'job-centre',
    legalBasis: '§ 50 Abs. 1 SGB II',
    purpose: 'Referral to an employment-agency programme: the agency names the information it needs to decide',
  },
  decision: {
    id: 'P3B-AA-JC-DECISION',
    from: 'employment-agency-gateway',
    to: 'job-centre',
    legalBasis: '§ 50 Abs. 1 SGB II; § 89 Abs. 3 SGB X',
    purpose: 'Referral to an employment-agency programme: the agency accepts the commission or refuses it with a reason code',
  },
} as const satisfies Record<string, TransferFlow>;

/** The field names of the minimum dataset of a referral, as the transfer logs record them. */
export const AGENCY_REFERRAL_MINIMUM_DATASET = [
  'caseRef',
  'programme',
  'referralId',
  'round',
  'subject.baCustomerNumber',
  'subject.dateOfBirth',
  'subject.familyName',
  'subject.givenNames',
  'workPermission',
] as const;

/** Activities on the gateway's task queue, in the gateway's process. */
export interface ReferralSubmission {
  workflowId: string;
  referral: AgencyReferral;
  receivedTransfer: TransferRecord;
}

/**
 * The failure type of a gateway activity that could not reach the agency's system at all (refused
 * connection, no answer in time): the handoff then counts as `external-silent`. An error the agency's
 * system answers with is a failing step instead.
 */
export const AGENCY_UNREACHABLE = 'AgencyUnreachable';
export const AGENCY_SYSTEM_ERROR = 'AgencySystemError';

export interface AgencyGatewayActivities {
  /** Records the submission in the gateway's tables and sends it to the agency; idempotent by referral ID and round. */
  submitReferral(submission: ReferralSubmission): Promise<AgencyReceipt>;
}

/** Activities on the job centre's task queue, against the job centre's own tables. */
export interface AgencyReferralPrecheck {
  workflowId: string;
  caseRef: string;
}

export interface AgencyReferralSent {
  workflowId: string;
  caseRef: string;
  round: number;
  sentAt: string;
}

export interface AgencyDecisionDelivery {
  workflowId: string;
  caseRef: string;
  answer: AgencyAnswer;
  receivedTransfer: TransferRecord;
}

export interface JobCentreAgencyReferralActivities {
  /** Entry criteria the job centre checks itself: the work permission from status clarification (P1). */
  precheckAgencyReferral(precheck: AgencyReferralPrecheck): Promise<{ workPermission: WorkPermissionStatus }>;
  recordAgencyReferralSent(sent: AgencyReferralSent): Promise<void>;
  /** Records the agency's decision; on ACCEPTED the programme passes to the agency, else the case stays as it is. */
  recordAgencyDecision(delivery: AgencyDecisionDelivery): Promise<void>;
}
