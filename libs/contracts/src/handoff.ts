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
