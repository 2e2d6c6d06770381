import type { Duration } from '@temporalio/common';
import type { Actor, HandoffInput } from './handoff';
import type { TransferFlow, TransferRecord } from './transfers';

/*
 * P3a legal-domain transfer (Rechtskreiswechsel) AsylbLG → SGB II after recognition (DOMAIN.md P3a).
 * Dates are ISO calendar days (YYYY-MM-DD) computed in UTC only, so workflow code stays deterministic.
 */

export const ISO_DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * An instant as a filter takes it: a day, or a date and time with its offset. Narrower than ISO 8601
 * (which also has weeks, bare hours, local times), so that JavaScript and PostgreSQL read it alike.
 */
/** A date and time with its offset, e.g. 2026-12-15T07:30:00+01:00. */
export const ISO_DATE_TIME_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

export const ISO_INSTANT_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?$/;

/** A real calendar day written YYYY-MM-DD (rejects 2026-02-30). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE_PATTERN.test(value)) {
    return false;
  }
  return new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

const DAY_MS = 86_400_000;

function epochDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function fromEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromEpochDay(epochDay(date) + days);
}

/** Calendar days from `from` to `to`, both counted; 0 when `to` lies before `from`. */
export function daysInclusive(from: string, to: string): number {
  return Math.max(0, epochDay(to) - epochDay(from) + 1);
}

export function lastDayOfMonth(date: string): string {
  const [year, month] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/** The UTC calendar day of an instant. */
export function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** AsylbLG ends at the end of the month in which the entitlement lapses (§ 1 Abs. 3 S. 1 AsylbLG). */
export function asylblgEndFor(effectiveDate: string): string {
  return lastDayOfMonth(effectiveDate);
}

/** SGB II starts the day after AsylbLG ends: no gap, no overlap (§ 7 Abs. 1 S. 2 Nr. 3 SGB II). */
export function sgb2StartFor(asylblgEnd: string): string {
  return addDays(asylblgEnd, 1);
}

/** A span of calendar days, both ends included; `to: null` is open-ended. */
export interface DateRange {
  from: string;
  to: string | null;
}

export const SUBSISTENCE_REGIMES = ['AsylbLG', 'SGB II', 'SGB XII'] as const;
export type SubsistenceRegime = (typeof SUBSISTENCE_REGIMES)[number];

/** An entitlement to subsistence benefits under one regime. `basis: 'advance'` is an SGB II advance (§ 42 SGB I). */
export interface BenefitPeriod extends DateRange {
  regime: SubsistenceRegime;
  basis: 'award' | 'advance';
}

export function covers(range: DateRange, day: string): boolean {
  return range.from <= day && (range.to === null || day <= range.to);
}

/** The regimes under which a person is entitled on `day` (DOMAIN.md §8 invariant 1: at most one). */
export function activeRegimesOn(periods: readonly BenefitPeriod[], day: string): SubsistenceRegime[] {
  return [...new Set(periods.filter((p) => covers(p, day)).map((p) => p.regime))];
}

/** The days two spans share, or null. An open end counts as far as the other span reaches. */
export function overlapOf(a: DateRange, b: DateRange): DateRange | null {
  const from = a.from > b.from ? a.from : b.from;
  const to = a.to === null ? b.to : b.to === null ? a.to : a.to < b.to ? a.to : b.to;
  return to !== null && to < from ? null : { from, to };
}

/** What social services paid for: one AsylbLG payment per period (monthly in advance). */
export interface PaymentPeriod {
  from: string;
  to: string;
}

/**
 * Days both carriers paid for: AsylbLG payments for days after AsylbLG ended that the SGB II period
 * (award or advance) also covers. Settled between the carriers (§§ 105, 107 SGB X), never with the person.
 */
export function doublePaidDays(
  asylblgPayments: readonly PaymentPeriod[],
  asylblgEnd: string,
  sgb2: DateRange | null,
): PaymentPeriod | null {
  if (!sgb2) {
    return null;
  }
  const paidThrough = asylblgPayments.map((p) => p.to).sort().at(-1);
  if (!paidThrough || paidThrough <= asylblgEnd) {
    return null;
  }
  const overlap = overlapOf({ from: addDays(asylblgEnd, 1), to: paidThrough }, sgb2);
  return overlap && overlap.to !== null ? { from: overlap.from, to: overlap.to } : null;
}

/** The entitlement periods after the transfer, as the workflow records them. */
export function transferPeriods(plan: {
  asylblgSince: string;
  asylblgEnd: string;
  sgb2: { basis: 'award' | 'advance'; until: string | null } | null;
}): BenefitPeriod[] {
  const periods: BenefitPeriod[] = [{ regime: 'AsylbLG', basis: 'award', from: plan.asylblgSince, to: plan.asylblgEnd }];
  if (plan.sgb2) {
    periods.push({ regime: 'SGB II', basis: plan.sgb2.basis, from: sgb2StartFor(plan.asylblgEnd), to: plan.sgb2.until });
  }
  return periods;
}

/**
 * The rules in force, by date of the decision (DOMAIN.md §8 invariant 8): each decision records the
 * version it was taken under.
 */
export interface LegalDomainTransferRuleSet {
  version: string;
  effectiveFrom: string;
  /** When the AsylbLG entitlement lapses after recognition: a person confirms it (DOMAIN.md §9 open point 1). */
  effectiveDateRule: string;
  /** How far after the served decision a confirmed effective date may lie. */
  maxDaysAfterService: number;
  /** Longest SGB II award period (§ 41 Abs. 3 SGB II: usually 12 months). */
  maxAwardMonths: number;
}

export const LEGAL_DOMAIN_TRANSFER_RULE_SETS: readonly LegalDomainTransferRuleSet[] = [
  {
    version: 'P3a-2024-01',
    effectiveFrom: '2024-01-01',
    effectiveDateRule:
      'AsylbLG entitlement lapses on the date social services confirms (service or finality of the BAMF decision, § 1 Abs. 3 AsylbLG); AsylbLG ends at the end of that month; SGB II starts the next day',
    maxDaysAfterService: 92,
    maxAwardMonths: 12,
  },
];

export function ruleSetFor(date: string): LegalDomainTransferRuleSet {
  const day = date.slice(0, 10);
  const inForce = LEGAL_DOMAIN_TRANSFER_RULE_SETS.filter((r) => r.effectiveFrom <= day).sort((a, b) =>
    b.effectiveFrom.localeCompare(a.effectiveFrom),
  )[0];
  if (!inForce) {
    throw new RangeError(`no legal-domain transfer rule set in force on ${day}`);
  }
  return inForce;
}

export const LEGAL_DOMAIN_TRANSFER_FLOWS = {
  applicationHandover: {
    id: 'P3A-SA-JC-APPLICATION',
    from: 'social-services',
    to: 'job-centre',
    legalBasis: '§ 16 Abs. 2 SGB I (application forwarded); § 69 Abs. 1 Nr. 1 SGB X',
    purpose:
      'Legal-domain transfer AsylbLG → SGB II: the SGB II application taken at the AsylbLG desk, with the AsylbLG end date and the last payment period, so that SGB II starts the next day',
  },
  reimbursementClaim: {
    id: 'P3A-SA-JC-REIMBURSEMENT',
    from: 'social-services',
    to: 'job-centre',
    legalBasis: '§§ 105, 107, 111 SGB X; § 9 Abs. 4 AsylbLG',
    purpose:
      'Legal-domain transfer AsylbLG → SGB II: reimbursement between carriers for days both paid for, never claimed from the person',
  },
} as const satisfies Record<string, TransferFlow>;

/** The ways recognition or a title ends AsylbLG entitlement (DOMAIN.md P3a trigger). */
export const RECOGNITION_KINDS = [
  'asylum-entitlement', // Asylberechtigung, Art. 16a GG
  'refugee-status', // Flüchtlingseigenschaft, § 3 AsylG
  'subsidiary-protection', // § 4 AsylG
  'national-ban-on-deportation', // § 60 Abs. 5/7 AufenthG → § 25 Abs. 3
  'other-residence-title', // § 1 Abs. 2 AsylbLG: other title for more than six months
] as const;
export type RecognitionKind = (typeof RECOGNITION_KINDS)[number];

export interface Recognition {
  kind: RecognitionKind;
  /** The day the decision was served on the person (or the title granted). */
  servedOn: string;
}

/** Social services' AsylbLG benefit facts the transfer needs: no amounts, no grounds. */
export interface AsylbLGBenefitFacts {
  since: string;
  payments: PaymentPeriod[];
}

export type LegalDomainTransferStage =
  | 'TRIGGERED'
  | 'EFFECTIVE_DATE_CONFIRMED'
  | 'TARGET_APPLICATION'
  | 'TARGET_DECIDED'
  | 'SOURCE_ENDED'
  | 'RECONCILED';

export const LEGAL_DOMAIN_TRANSFER_OUTCOMES = ['SGB2_ACTIVE', 'NO_NEED', 'PENDING_DECISION'] as const;
export type LegalDomainTransferOutcome = (typeof LEGAL_DOMAIN_TRANSFER_OUTCOMES)[number];

export interface LegalDomainTransferInput extends HandoffInput {
  caseRef: string;
  reportedBy: Actor;
  /** ISO timestamp of the report; selects the SLA policies and rule set in force. */
  reportedAt: string;
  recognition: Recognition;
  /** From the SLA policies: social services confirms the effective date within this. */
  confirmWithin: Duration;
  /** From the SLA policies: the job centre decides within this (and in any case before SGB II starts). */
  decideWithin: Duration;
}

/** Social services' caseworker confirms when the AsylbLG entitlement lapses. */
export interface EffectiveDateDecision {
  taskId: string;
  decidedBy: Actor;
  effectiveDate: string;
}

export interface EffectiveDateConfirmed {
  effectiveDate: string;
  asylblgEnd: string;
  sgb2Start: string;
  ruleSetVersion: string;
  decidedBy: Actor;
  decidedAt: string;
}

export type Sgb2ApplicationDecision =
  | { kind: 'award'; from: string; until: string }
  | { kind: 'no-need'; reason: string };

/** The job centre's caseworker decides the SGB II application. */
export interface Sgb2Decision {
  taskId: string;
  decidedBy: Actor;
  decision: Sgb2ApplicationDecision;
}

export interface Sgb2Decided {
  outcome: Exclude<LegalDomainTransferOutcome, 'PENDING_DECISION'>;
  decision: Sgb2ApplicationDecision;
  ruleSetVersion: string;
  decidedBy: Actor;
  decidedAt: string;
}

export interface LegalDomainTransferState {
  caseRef: string;
  stage: LegalDomainTransferStage;
  waitingOn: string | null;
  dueAt: string | null;
  stuck: boolean;
  escalationLevel: number;
  outcome: LegalDomainTransferOutcome | null;
  effectiveDate: EffectiveDateConfirmed | null;
  sgb2Decision: Sgb2Decided | null;
  advanceFrom: string | null;
  reimbursement: PaymentPeriod | null;
}

export interface LegalDomainTransferResult {
  caseRef: string;
  outcome: Exclude<LegalDomainTransferOutcome, 'PENDING_DECISION'>;
  effectiveDate: EffectiveDateConfirmed;
  sgb2Decision: Sgb2Decided;
  advanceFrom: string | null;
  periods: BenefitPeriod[];
  reimbursement: PaymentPeriod | null;
}

/** Why an effective-date confirmation cannot be accepted (empty when valid). */
export function effectiveDateProblems(effectiveDate: unknown, recognition: Recognition, ruleSet: LegalDomainTransferRuleSet): string[] {
  if (!isIsoDate(effectiveDate)) {
    return ['effectiveDate must be a calendar date YYYY-MM-DD'];
  }
  const problems: string[] = [];
  if (effectiveDate < recognition.servedOn) {
    problems.push('effectiveDate lies before the decision was served');
  }
  if (effectiveDate > addDays(recognition.servedOn, ruleSet.maxDaysAfterService)) {
    problems.push(`effectiveDate lies more than ${ruleSet.maxDaysAfterService} days after the decision was served`);
  }
  return problems;
}

/** The last day of an award of `months` months from `from`. */
export function lastAwardDay(from: string, months: number): string {
  const [year, month, day] = from.split('-').map(Number);
  return addDays(dayOf(Date.UTC(year, month - 1 + months, day)), -1);
}

/** Why an SGB II decision cannot be accepted (empty when valid). */
export function sgb2DecisionProblems(
  decision: Sgb2ApplicationDecision | undefined,
  sgb2Start: string,
  ruleSet: LegalDomainTransferRuleSet,
): string[] {
  if (decision?.kind === 'no-need') {
    return typeof decision.reason === 'string' && decision.reason.trim().length > 0
      ? []
      : ['reason must say why there is no need'];
  }
  if (decision?.kind !== 'award') {
    return ['decision.kind must be award or no-need'];
  }
  const problems: string[] = [];
  if (decision.from !== sgb2Start) {
    problems.push(`from must be ${sgb2Start}, the day after AsylbLG ends`);
  }
  if (!isIsoDate(decision.until) || decision.until < decision.from) {
    problems.push('until must be a date on or after from');
  } else if (decision.until > lastAwardDay(sgb2Start, ruleSet.maxAwardMonths)) {
    problems.push(`until lies beyond the longest award period of ${ruleSet.maxAwardMonths} months`);
  }
  return problems;
}

/* Activities. Each domain implements its own against its own tables; each is idempotent. */

export interface OpenOwnInboxTask {
  taskId: string;
  workflowId: string;
  caseRef: string;
  kind: string;
  dueAt: string;
  details: object;
}

export interface AsylbLGTermination {
  workflowId: string;
  caseRef: string;
  effectiveDate: string;
  asylblgEnd: string;
  ruleSetVersion: string;
  decidedBy: Actor;
  decidedAt: string;
}

export interface AsylbLGReimbursement {
  workflowId: string;
  caseRef: string;
  days: PaymentPeriod;
  assertBy: string;
  sentTransfer: TransferRecord;
}

/** On the social-services task queue, against social services' AsylbLG records. */
export interface SocialServicesTransferActivities {
  /** An inbox task for social services' own caseworkers (no data crosses, so no transfer is logged). */
  openEffectiveDateTask(task: OpenOwnInboxTask): Promise<{ taskId: string }>;
  /** Records the caseworker's termination decision (Einstellungsbescheid) and returns the benefit facts. */
  endAsylblg(termination: AsylbLGTermination): Promise<AsylbLGBenefitFacts>;
  /** No AsylbLG payment after the end; returns the payments as they finally stand. */
  settleAsylblgPayments(settle: { workflowId: string; caseRef: string; asylblgEnd: string }): Promise<AsylbLGBenefitFacts>;
  assertReimbursementClaim(claim: AsylbLGReimbursement): Promise<void>;
}

export interface Sgb2ApplicationReceipt {
  workflowId: string;
  caseRef: string;
  asylblgEnd: string;
  sgb2Start: string;
  filedOn: string;
  handedOverBy: Actor;
  receivedTransfer: TransferRecord;
}

export interface Sgb2Advance {
  workflowId: string;
  caseRef: string;
  from: string;
  grantedAt: string;
  ruleSetVersion: string;
}

export interface Sgb2DecisionRecord extends Sgb2Decided {
  workflowId: string;
  caseRef: string;
}

export interface Sgb2ReimbursementReceipt {
  workflowId: string;
  caseRef: string;
  days: PaymentPeriod;
  assertBy: string;
  receivedTransfer: TransferRecord;
}

/** On the job-centre task queue, against the job centre's SGB II records. */
export interface JobCentreTransferActivities {
  receiveSgb2Application(receipt: Sgb2ApplicationReceipt): Promise<void>;
  /** § 42 SGB I: an advance from the SGB II start while the decision is outstanding. */
  paySgb2Advance(advance: Sgb2Advance): Promise<void>;
  recordSgb2Decision(decision: Sgb2DecisionRecord): Promise<void>;
  receiveReimbursementClaim(claim: Sgb2ReimbursementReceipt): Promise<void>;
}

/** A reimbursement claim must be asserted within 12 months after the last day it covers (§ 111 SGB X). */
export function reimbursementAssertBy(days: PaymentPeriod): string {
  const [year, month, day] = days.to.split('-').map(Number);
  const sameDay = new Date(Date.UTC(year + 1, month - 1, day));
  // 29 February + 1 year → 28 February, not 1 March.
  return sameDay.getUTCMonth() === month - 1 ? dayOf(sameDay.getTime()) : lastDayOfMonth(`${year + 1}-${String(month).padStart(2, '0')}-01`);
}

/** The inbox tasks of P3a: social services confirms the effective date, the job centre decides the SGB II application. */
export const LEGAL_DOMAIN_TRANSFER_TASKS = {
  effectiveDate: 'effective-date-confirmation',
  sgb2Decision: 'sgb-ii-decision',
} as const;
