import type { Domain } from './domains';

/** Why a handoff counts as stuck. A business state set by the workflow itself, not a crash. */
export const STUCK_REASONS = ['deadline-passed', 'domain-unavailable', 'step-failing', 'external-silent'] as const;
export type StuckReasonCode = (typeof STUCK_REASONS)[number];

/**
 * When a step counts as stuck (DESIGN §4): a step its domain's worker has not picked up within
 * `pickupWithin` is `domain-unavailable`; one that failed `failingAfterAttempts` attempts in a row is
 * `step-failing` (or `external-silent` where the failure is an external system not answering).
 * Either way the step goes on being tried, and the handoff clears when it gets through.
 */
export interface StepPolicy {
  /** A duration, e.g. "5 minutes". */
  pickupWithin: string;
  failingAfterAttempts: number;
}

export const DEFAULT_STEP_POLICY: StepPolicy = { pickupWithin: '5 minutes', failingAfterAttempts: 5 };

/** What every process's workflow input carries besides its own data. */
export interface HandoffInput {
  /** When a step counts as stuck, from the starting service's configuration; the default policy when absent. */
  steps?: StepPolicy;
}

/** Who acted: the domain and its caseworker's staff ID (a staff ID, not a client's data). */
export interface Actor {
  domain: Domain;
  caseworkerId: string;
}

export const CASEWORKER_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export type InboxTaskState = 'open' | 'completed' | 'withdrawn';

/** A change to a handoff's deadline, with who made it and why (DESIGN §3). */
export interface DeadlineChange {
  action: 'extend' | 'suspend' | 'resume';
  by: Actor;
  reason: string;
  /** For `extend`: how much longer, e.g. "3 days". */
  extendBy?: string;
  at: string;
}

/** What a caseworker sends to change a deadline; the workflow adds the time. */
export type DeadlineChangeRequest = Omit<DeadlineChange, 'at'>;

export interface DeadlineView {
  dueAt: string | null;
  suspended: boolean;
  changes: DeadlineChange[];
}
