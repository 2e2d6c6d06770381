import type { Duration } from '@temporalio/common';

/**
 * Deadlines are configuration, dated: the policy in force on the date of the event applies
 * (DOMAIN.md §0). Durations are Temporal duration strings ("7 days", "30 seconds").
 */
export const HANDOFF_KINDS = ['status-inquiry-answer'] as const;
export type HandoffKind = (typeof HANDOFF_KINDS)[number];

export interface SlaPolicy {
  kind: HandoffKind;
  /** ISO date from which this policy applies. */
  effectiveFrom: string;
  dueWithin: Duration;
  source: string;
}

export const SLA_POLICIES: readonly SlaPolicy[] = [
  {
    kind: 'status-inquiry-answer',
    effectiveFrom: '2023-01-01',
    dueWithin: '7 days',
    source: 'Recommended SLA: immigration office answers within 5 working days (DOMAIN.md P1)',
  },
];

export type SlaOverrides = Partial<Record<HandoffKind, Duration>>;

export function slaFor(kind: HandoffKind, eventDate: string, overrides: SlaOverrides = {}): Duration {
  const override = overrides[kind];
  if (override) {
    return override;
  }
  const day = eventDate.slice(0, 10);
  const inForce = SLA_POLICIES.filter((p) => p.kind === kind && p.effectiveFrom <= day).sort((a, b) =>
    b.effectiveFrom.localeCompare(a.effectiveFrom),
  )[0];
  if (!inForce) {
    throw new RangeError(`no SLA policy for ${kind} in force on ${day}`);
  }
  return inForce.dueWithin;
}
