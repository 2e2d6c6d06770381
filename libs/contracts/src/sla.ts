import type { Duration } from '@temporalio/common';

/**
 * Deadlines are configuration, dated: the policy in force on the date of the event applies
 * (DOMAIN.md §0). Durations are Temporal duration strings ("7 days", "30 seconds").
 */
export const HANDOFF_KINDS = ['status-inquiry-answer', 'status-recheck-lead', 'effective-date-confirmation', 'sgb-ii-decision', 'child-welfare-participation', 'agency-decision', 'agency-information', 'ba-consent'] as const;
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
  {
    kind: 'status-recheck-lead',
    effectiveFrom: '2023-01-01',
    dueWithin: '28 days',
    source: 'Every status record carries a re-check task before it expires (DOMAIN.md P1 invariants)',
  },
  {
    kind: 'effective-date-confirmation',
    effectiveFrom: '2024-01-01',
    dueWithin: '5 days',
    source: 'Recommended SLA: social services confirms the effective date so that it notifies the job centre at least 10 working days before AsylbLG ends (DOMAIN.md P3a)',
  },
  {
    kind: 'sgb-ii-decision',
    effectiveFrom: '2024-01-01',
    dueWithin: '14 days',
    source: 'Recommended SLA: the job centre decides before the 1st of the SGB II start month; an advance (§ 42 SGB I) is paid if it has not decided by the day before SGB II starts (DOMAIN.md P3a)',
  },
  {
    kind: 'child-welfare-participation',
    effectiveFrom: '2024-01-01',
    dueWithin: '5 days',
    source: 'KSD participation before the planned day of a family deportation, capped by that day (DOMAIN.md P2 step 5; UNVERIFIED)',
  },
  {
    kind: 'agency-decision',
    effectiveFrom: '2024-01-01',
    dueWithin: '14 days',
    source: 'Recommended SLA: the employment agency decides on a referral within 10 working days (DOMAIN.md P3b)',
  },
  {
    kind: 'agency-information',
    effectiveFrom: '2024-01-01',
    dueWithin: '7 days',
    source: 'Our recommendation: the job centre supplies what the agency asked for within 5 working days (DOMAIN.md P3b; no statutory deadline)',
  },
  {
    kind: 'ba-consent',
    effectiveFrom: '2020-03-01',
    dueWithin: '14 days',
    source: '§ 36 Abs. 2 BeschV: the consent of the Federal Employment Agency is deemed given if it does not object within two weeks of the request (DOMAIN.md P1 step 4)',
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
