/** The escalation ladder: the level rises by one on each breached deadline. */
export const ESCALATION_LADDER = ['caseworker', 'team lead', 'head of department'] as const;

export function escalationHolder(level: number): string {
  return ESCALATION_LADDER[Math.min(level, ESCALATION_LADDER.length - 1)];
}

/** A timestamp as a supervisor reads it: "2026-11-24 14:05 UTC". */
export function plainTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
