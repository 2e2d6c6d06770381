import type { AgencyConsentRequest, AgencyObjectionReason } from '@handoffs/contracts';

/** Below this gross monthly wage (euros) the simulated agency finds the terms worse than for comparable workers. */
export const MIN_GROSS_MONTHLY_WAGE = 2000;
/** Above this many hours a week the simulated agency objects to the working conditions. */
export const MAX_HOURS_PER_WEEK = 48;
/** An employer whose name contains this word never gets an answer: the consent is then deemed given. */
export const SILENT_EMPLOYER_MARK = 'schweigen';

export type ConsentAssessment = { outcome: 'CONSENT' } | { outcome: 'OBJECTION'; objectionReason: AgencyObjectionReason } | { outcome: 'SILENT' };

/**
 * The simulated agency's consent check (§ 39 AufenthG), in this order, so that every test knows the answer:
 * 1. the employer's name contains "Schweigen": no answer at all (the two weeks of § 36 Abs. 2 BeschV run out);
 * 2. more than 48 hours a week: OBJECTION working-hours-above-limit;
 * 3. a gross monthly wage below 2000 euros: OBJECTION wage-below-comparable-workers;
 * 4. otherwise CONSENT.
 */
export function assessConsent(request: AgencyConsentRequest): ConsentAssessment {
  const job = request.plannedEmployment;
  if (job.employer.toLowerCase().includes(SILENT_EMPLOYER_MARK)) return { outcome: 'SILENT' };
  if (job.hoursPerWeek > MAX_HOURS_PER_WEEK) return { outcome: 'OBJECTION', objectionReason: 'working-hours-above-limit' };
  if (job.grossMonthlyWage < MIN_GROSS_MONTHLY_WAGE) return { outcome: 'OBJECTION', objectionReason: 'wage-below-comparable-workers' };
  return { outcome: 'CONSENT' };
}
