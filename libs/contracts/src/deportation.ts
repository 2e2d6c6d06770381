import type { Duration } from '@temporalio/common';
import type { Actor, HandoffInput } from './handoff';
import type { TransferFlow, TransferRecord } from './transfers';

/**
 * P2 deportation (Abschiebung) of a family with children (DOMAIN.md P2). The immigration office
 * leads; the municipal social service (KSD, youth welfare) takes part; social services (AsylbLG)
 * stop benefits on the day of departure. Contracts carry children's ages, never names.
 */

/** Removal state machine (DOMAIN.md §8), as shown in `HandoffStage`. */
export const DEPORTATION_STAGES = [
  'REVIEW', // the immigration office has reviewed the case and is asking the KSD to take part
  'PREPARATION', // waiting on the KSD's child-welfare participation
  'HALTED', // the KSD raised a concern: the immigration office decides (proceed, postpone, cancel)
  'PARTICIPATED', // participation recorded: the immigration office may schedule
  'SCHEDULED', // date set; waiting on the immigration office to record the execution
  'EXECUTED',
  'SUSPENDED',
  'ABORTED',
] as const;
export type DeportationStage = (typeof DEPORTATION_STAGES)[number];
export const FINAL_DEPORTATION_STAGES: readonly DeportationStage[] = ['EXECUTED', 'SUSPENDED', 'ABORTED'];

export const DEPORTATION_OUTCOMES = ['DEPARTED_VOLUNTARILY', 'DEPORTED', 'PARTIAL', 'SUSPENDED', 'ABORTED'] as const;
export type DeportationOutcome = (typeof DEPORTATION_OUTCOMES)[number];

/** Known vulnerabilities the KSD needs to plan (DOMAIN.md P2 step 1); categories only, no health details. */
export const VULNERABILITIES = ['school-age-children', 'illness', 'disability', 'pregnancy', 'single-parent'] as const;
export type Vulnerability = (typeof VULNERABILITIES)[number];

/** What the KSD may raise, as a closed list: entrusted data (§ 65 SGB VIII) never flow to the immigration office. */
export const CONCERN_REASONS = [
  'child-welfare-risk', // § 8a SGB VIII risk assessment pending or positive
  'care-arrangement-missing', // a child would be left without a custodian or arranged care
  'medical-needs', // a child's care needs cannot be met during the operation
  'separation-risk', // the operation as planned would separate the family
] as const;
export type ConcernReason = (typeof CONCERN_REASONS)[number];

/** Why a deportation stops before execution (DOMAIN.md P2 failure/cancellation paths). */
export const CANCELLATION_REASONS = [
  'court-stay', // § 80 Abs. 5 / § 123 VwGO
  'toleration-granted', // Duldung, § 60a AufenthG
  'medical-certificate', // § 60a Abs. 2c AufenthG
  'failed-attempt', // § 60a Abs. 2a AufenthG: suspension for a week
  'travel-document-unobtainable',
  'child-welfare', // the immigration office upholds the KSD's concern
  'absconded', // not found; § 50 Abs. 6 AufenthG search entry
] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

export function cancellationStage(reason: CancellationReason): 'SUSPENDED' | 'ABORTED' {
  return reason === 'absconded' ? 'ABORTED' : 'SUSPENDED';
}

/** Why the immigration office schedules at night despite the NRW decree (logged with who decided). */
export const NIGHT_OVERRIDE_REASONS = ['only-flight-departs-at-night', 'otherwise-frustrated'] as const;
export type NightOverrideReason = (typeof NIGHT_OVERRIDE_REASONS)[number];

export interface NightOverride {
  reason: NightOverrideReason;
  /** Who decided the override; the log of it is the workflow history and the immigration office's case record. */
  loggedBy: Actor;
}

export const SEPARATION_CIRCUMSTANCES = ['member-absent', 'hospitalised', 'child-refused', 'child-absconded', 'other'] as const;
export type SeparationCircumstance = (typeof SEPARATION_CIRCUMSTANCES)[number];

export interface DeportationFamily {
  /** Ages of the minor children in whole years; no names. */
  childrenAges: number[];
  vulnerabilities: Vulnerability[];
}

export interface DeportationInput extends HandoffInput {
  caseRef: string;
  requestedBy: Actor;
  requestedAt: string;
  family: DeportationFamily;
  /** The planned day of departure (YYYY-MM-DD): the KSD's participation is due before it. Need-to-know. */
  plannedDate: string;
  /** From the SLA policy 'child-welfare-participation', e.g. "5 days"; capped by the planned date. */
  participationWithin: Duration;
}

export interface ParticipationFinding {
  taskId: string;
  actor: Actor;
  finding: 'no-concern' | 'concern';
  concernReason?: ConcernReason;
}

export interface ConcernDecision {
  taskId: string;
  actor: Actor;
  decision: 'proceed' | 'postpone' | 'cancel';
  /** For `postpone`: the new planned day, later than the current one. */
  plannedDate?: string;
  /** For `cancel`. */
  cancellationReason?: CancellationReason;
}

export interface ScheduleDecision {
  actor: Actor;
  /** ISO instant of the operation. Need-to-know: never in search attributes, details or logs. */
  plannedAt: string;
  nightOverride?: { reason: NightOverrideReason };
}

export interface ExecutionRecord {
  actor: Actor;
  departedAt: string;
  departure: 'deported' | 'voluntary';
}

export interface CancellationRequest {
  actor: Actor;
  reason: CancellationReason;
}

export interface SeparationReport {
  actor: Actor;
  childAge: number;
  circumstance: SeparationCircumstance;
}

export interface DeportationState {
  caseRef: string;
  stage: DeportationStage;
  waitingOn: string | null;
  dueAt: string | null;
  stuck: boolean;
  escalationLevel: number;
  participationRound: number;
  participationTaskId: string | null;
  decisionTaskId: string | null;
  participation: { finding: ParticipationFinding['finding']; concernReason: ConcernReason | null; by: Actor } | null;
  /** Whether a date is set; the date itself is shown only through the access-checked endpoints. */
  scheduled: boolean;
  nightOverride: NightOverride | null;
  separations: { taskId: string; childAge: number; circumstance: SeparationCircumstance; reportedBy: Actor }[];
  cancellation: { reason: CancellationReason; by: Actor } | null;
  /** The compensations run on cancellation, in order. */
  unwound: string[];
  outcome: DeportationOutcome | null;
}

export interface DeportationResult {
  caseRef: string;
  outcome: DeportationOutcome;
  stage: DeportationStage;
  separations: number;
  cancellationReason: CancellationReason | null;
  closedAt: string;
}

/** The events that move the removal state machine; anything not listed for a stage is refused. */
export type DeportationEvent =
  | 'ask-participation'
  | 'no-concern'
  | 'concern'
  | 'proceed'
  | 'postpone'
  | 'schedule'
  | 'execute'
  | 'suspend'
  | 'abort';

const STOP = { suspend: 'SUSPENDED', abort: 'ABORTED' } as const;
const TRANSITIONS: Record<DeportationStage, Partial<Record<DeportationEvent, DeportationStage>>> = {
  REVIEW: { 'ask-participation': 'PREPARATION', ...STOP },
  PREPARATION: { 'no-concern': 'PARTICIPATED', concern: 'HALTED', ...STOP },
  HALTED: { proceed: 'PARTICIPATED', postpone: 'PREPARATION', ...STOP },
  PARTICIPATED: { schedule: 'SCHEDULED', ...STOP },
  SCHEDULED: { execute: 'EXECUTED', ...STOP },
  EXECUTED: {},
  SUSPENDED: {},
  ABORTED: {},
};

/** The next stage, or null when the event is not allowed in this stage. Execution is reachable only through a participation. */
export function nextDeportationStage(stage: DeportationStage, event: DeportationEvent): DeportationStage | null {
  return TRANSITIONS[stage][event] ?? null;
}

const BERLIN_PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});

function berlin(instant: string): { day: string; hour: number } {
  const parts = Object.fromEntries(BERLIN_PARTS.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/** NRW decree (MIK 13.01.2016): no operation between 21:00 and 06:00 local time for families with children under 14. */
export function isNightTime(instant: string): boolean {
  const { hour } = berlin(instant);
  return hour >= 21 || hour < 6;
}

export function nightOperationAllowed(
  plannedAt: string,
  childrenAges: readonly number[],
  override: NightOverride | { reason: NightOverrideReason } | null | undefined,
): boolean {
  if (!isNightTime(plannedAt) || !childrenAges.some((age) => age < 14)) {
    return true;
  }
  return !!override && (NIGHT_OVERRIDE_REASONS as readonly string[]).includes(override.reason);
}

/** AsylbLG entitlement ends exactly on the day of departure, local time, not at month end (§ 1 Abs. 3 AsylbLG). */
export function benefitEndDay(departedAt: string): string {
  return berlin(departedAt).day;
}

const HOUR_MS = 3_600_000;

/** The assigned social worker sees the date from 72 hours before the operation until 24 hours after it. */
export function socialWorkerDateWindow(plannedAt: string): { from: string; until: string } {
  const at = Date.parse(plannedAt);
  return { from: new Date(at - 72 * HOUR_MS).toISOString(), until: new Date(at + 24 * HOUR_MS).toISOString() };
}

export function dateVisibleToSocialWorker(nowMs: number, window: { from: string; until: string }): boolean {
  return nowMs >= Date.parse(window.from) && nowMs <= Date.parse(window.until);
}

/**
 * How long the immigration office has to decide on the youth welfare's concern: a deadline of its own,
 * so that neither the inbox nor the supervisor's DueAt reveals the planned day (R10).
 */
export const CONCERN_DECISION_WITHIN_MS = 48 * HOUR_MS;

/** The participation deadline: the SLA from now, but never later than the start of the planned day. */
export function participationDueAt(nowMs: number, withinMs: number, plannedDate: string): number {
  return Math.min(nowMs + withinMs, Date.parse(`${plannedDate}T00:00:00Z`));
}

const ISO_DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function isInstant(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value);
}

export function familyProblems(family: DeportationFamily): string[] {
  const problems: string[] = [];
  if (!Array.isArray(family.childrenAges) || family.childrenAges.length === 0) {
    problems.push('childrenAges must list at least one minor child');
  } else if (family.childrenAges.some((age) => !Number.isInteger(age) || age < 0 || age > 17)) {
    problems.push('childrenAges must be whole years from 0 to 17');
  }
  return problems;
}

export function participationProblems(finding: ParticipationFinding): string[] {
  if (finding.finding === 'concern' && !(CONCERN_REASONS as readonly string[]).includes(finding.concernReason ?? '')) {
    return [`a concern needs a reason, one of ${CONCERN_REASONS.join(', ')}`];
  }
  if (finding.finding === 'no-concern' && finding.concernReason !== undefined) {
    return ['concernReason is given only with a concern'];
  }
  if (finding.finding !== 'concern' && finding.finding !== 'no-concern') {
    return ['finding must be no-concern or concern'];
  }
  return [];
}

export function concernDecisionProblems(decision: ConcernDecision, currentPlannedDate: string): string[] {
  const problems: string[] = [];
  if (decision.decision === 'postpone') {
    if (!decision.plannedDate || !ISO_DAY.test(decision.plannedDate)) {
      problems.push('postponing needs the new plannedDate (YYYY-MM-DD)');
    } else if (decision.plannedDate <= currentPlannedDate) {
      problems.push('the new plannedDate must lie after the current planned day');
    }
  } else if (decision.plannedDate !== undefined) {
    problems.push('plannedDate is given only when postponing');
  }
  if (decision.decision === 'cancel') {
    if (!(CANCELLATION_REASONS as readonly string[]).includes(decision.cancellationReason ?? '')) {
      problems.push(`cancelling needs a cancellationReason, one of ${CANCELLATION_REASONS.join(', ')}`);
    }
  } else if (decision.cancellationReason !== undefined) {
    problems.push('cancellationReason is given only when cancelling');
  }
  if (!['proceed', 'postpone', 'cancel'].includes(decision.decision)) {
    problems.push('decision must be proceed, postpone or cancel');
  }
  return problems;
}

export function scheduleProblems(schedule: ScheduleDecision, childrenAges: readonly number[], nowMs: number): string[] {
  if (!isInstant(schedule.plannedAt)) {
    return ['plannedAt must be an ISO 8601 instant'];
  }
  const problems: string[] = [];
  if (Date.parse(schedule.plannedAt) <= nowMs) {
    problems.push('plannedAt must lie in the future');
  }
  if (schedule.nightOverride && !(NIGHT_OVERRIDE_REASONS as readonly string[]).includes(schedule.nightOverride.reason)) {
    problems.push(`nightOverride.reason must be one of ${NIGHT_OVERRIDE_REASONS.join(', ')}`);
  } else if (!nightOperationAllowed(schedule.plannedAt, childrenAges, schedule.nightOverride)) {
    problems.push('no operation between 21:00 and 06:00 for a family with children under 14 without a logged nightOverride');
  }
  return problems;
}

export function executionProblems(execution: ExecutionRecord, nowMs: number): string[] {
  const problems: string[] = [];
  if (!isInstant(execution.departedAt)) {
    problems.push('departedAt must be an ISO 8601 instant');
  } else if (Date.parse(execution.departedAt) > nowMs + 60_000) {
    problems.push('departedAt must not lie in the future');
  }
  if (execution.departure !== 'deported' && execution.departure !== 'voluntary') {
    problems.push('departure must be deported or voluntary');
  }
  return problems;
}

export function separationProblems(report: SeparationReport): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(report.childAge) || report.childAge < 0 || report.childAge > 17) {
    problems.push('childAge must be whole years from 0 to 17');
  }
  if (!(SEPARATION_CIRCUMSTANCES as readonly string[]).includes(report.circumstance)) {
    problems.push(`circumstance must be one of ${SEPARATION_CIRCUMSTANCES.join(', ')}`);
  }
  return problems;
}

/**
 * The generic inbox keeps one task per handoff and kind, so a second round of the same task gets a
 * kind of its own: `child-protection`, `child-protection-b`, `child-protection-c`, …
 */
export function roundKind(kind: string, round: number): string {
  if (round <= 1) return kind;
  let suffix = '';
  for (let n = round; n > 0; n = Math.floor((n - 1) / 26)) {
    suffix = String.fromCharCode(97 + ((n - 1) % 26)) + suffix;
  }
  return `${kind}-${suffix}`;
}

export const DEPORTATION_TASKS = {
  participation: 'child-welfare-participation',
  decision: 'deportation-decision',
  childProtection: 'child-protection',
} as const;

const P2_UNVERIFIED_KSD_BASIS =
  'UNVERIFIED: DSG NRW i. V. m. NRW decree practice (MIK 13.01.2016); § 8a SGB VIII duty of the KSD once informed';

/** The registered P2 flows (DOMAIN.md P2, "Data crossing domains"). */
export const DEPORTATION_FLOWS = {
  participationRequest: {
    id: 'P2-ABH-KSD-PARTICIPATION',
    from: 'immigration',
    to: 'social-services',
    legalBasis: P2_UNVERIFIED_KSD_BASIS,
    purpose: 'Deportation of a family: the KSD takes part for child welfare (children\'s ages, known vulnerabilities)',
  },
  participationFinding: {
    id: 'P2-KSD-ABH-FINDING',
    from: 'social-services',
    to: 'immigration',
    legalBasis: 'UNVERIFIED: § 69 Abs. 1 Nr. 1 SGB X for the KSD\'s own task (§ 8a SGB VIII); no entrusted data (§§ 64, 65 SGB VIII)',
    purpose: 'Deportation of a family: the KSD\'s finding (no concern, or the category of concern) so the immigration office can decide',
  },
  scheduleShare: {
    id: 'P2-ABH-KSD-SCHEDULE',
    from: 'immigration',
    to: 'social-services',
    legalBasis: P2_UNVERIFIED_KSD_BASIS,
    purpose: 'Deportation of a family: the date for the assigned social worker only, time-boxed (need-to-know)',
  },
  separationNotice: {
    id: 'P2-ABH-KSD-SEPARATION',
    from: 'immigration',
    to: 'social-services',
    legalBasis: 'UNVERIFIED: NRW ministry practice (the immigration office informs the KSD at once); § 8a, § 42 SGB VIII',
    purpose: 'Deportation of a family: a child is separated from the family; child protection at once',
  },
  departureNotice: {
    id: 'P2-ABH-SA-DEPARTURE',
    from: 'immigration',
    to: 'social-services',
    legalBasis: '§ 90 Abs. 3 AufenthG; § 1 Abs. 3 AsylbLG',
    purpose: 'Deportation of a family: the (planned) day of departure, on which AsylbLG benefits end',
  },
} as const satisfies Record<string, TransferFlow>;

/** Social services' steps in a deportation, run on the social-services task queue against its own tables. */
export interface ParticipationRecord {
  workflowId: string;
  caseRef: string;
  socialWorker: Actor;
  finding: ParticipationFinding['finding'];
  concernReason: ConcernReason | null;
  recordedAt: string;
}

export interface ScheduleShare {
  workflowId: string;
  caseRef: string;
  plannedAt: string;
  visibleFrom: string;
  visibleUntil: string;
  receivedTransfer: TransferRecord;
}

export interface BenefitEnd {
  workflowId: string;
  caseRef: string;
  /** YYYY-MM-DD, the (planned) day of departure. */
  endsOn: string;
  receivedTransfer?: TransferRecord;
}

export interface Unwinding {
  workflowId: string;
  caseRef: string;
  reason: CancellationReason;
  at: string;
}

export interface SocialServicesDeportationActivities {
  recordParticipation(record: ParticipationRecord): Promise<void>;
  shareSchedule(share: ScheduleShare): Promise<void>;
  releaseAssignment(release: Unwinding): Promise<void>;
  planBenefitEnd(end: BenefitEnd): Promise<void>;
  endBenefitsOnDeparture(end: BenefitEnd): Promise<void>;
  restoreBenefits(restore: Unwinding): Promise<void>;
}
