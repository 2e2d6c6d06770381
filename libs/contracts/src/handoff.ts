import type { Domain } from './domains';

/** Why a handoff counts as stuck. A business state set by the workflow itself, not a crash. */
export const STUCK_REASONS = ['deadline-passed', 'domain-unavailable', 'step-failing', 'external-silent'] as const;
export type StuckReasonCode = (typeof STUCK_REASONS)[number];

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

/** The Update every process offers for deadline changes (workflows/shared/deadline-messages.ts). */
export const CHANGE_DEADLINE_UPDATE = 'changeDeadline';

/** What a caseworker sends to change a deadline; the workflow adds the time. */
export type DeadlineChangeRequest = Omit<DeadlineChange, 'at'>;

export interface DeadlineView {
  dueAt: string | null;
  suspended: boolean;
  changes: DeadlineChange[];
}
