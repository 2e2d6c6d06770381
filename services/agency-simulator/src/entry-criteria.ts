import {
  LANGUAGE_LEVELS,
  type AgencyDecision,
  type AgencyProgramme,
  type AgencyReferral,
  type LanguageLevel,
} from '@handoffs/contracts';

/**
 * The simulated agency's own entry criteria (Zugangsvoraussetzungen, DOMAIN.md P3b step 1), checked
 * in this order, so that every test knows the answer:
 * 1. the work permission is cleared (P1: CLEARED or CLEARED_WITH_RESTRICTION), else REFUSED work-permission-not-cleared;
 * 2. the age on the day of the decision is within the programme's range, else REFUSED age-outside-programme;
 * 3. a language level is given, else NEEDS_INFO languageLevel;
 * 4. the language level reaches the programme's minimum, else REFUSED language-level-below-entry;
 * 5. the programme has places (AGENCY_FULL_PROGRAMMES), else REFUSED no-programme-capacity;
 * 6. otherwise ACCEPTED.
 */
export const PROGRAMME_CRITERIA: Record<AgencyProgramme, { minAge: number; maxAge: number; minLanguageLevel: LanguageLevel }> = {
  'competence-assessment': { minAge: 18, maxAge: 64, minLanguageLevel: 'A2' },
  'career-guidance': { minAge: 15, maxAge: 64, minLanguageLevel: 'A2' },
  'apprenticeship-placement': { minAge: 15, maxAge: 34, minLanguageLevel: 'B1' },
  rehabilitation: { minAge: 15, maxAge: 64, minLanguageLevel: 'A2' },
};

/** Full years between an ISO birth date and an ISO day. */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function assessReferral(referral: AgencyReferral, day: string, fullProgrammes: readonly AgencyProgramme[] = []): AgencyDecision {
  const criteria = PROGRAMME_CRITERIA[referral.programme];
  if (referral.workPermission !== 'CLEARED' && referral.workPermission !== 'CLEARED_WITH_RESTRICTION') {
    return { outcome: 'REFUSED', refusalReason: 'work-permission-not-cleared' };
  }
  const age = ageOn(referral.subject.dateOfBirth, day);
  if (!(age >= criteria.minAge && age <= criteria.maxAge)) {
    return { outcome: 'REFUSED', refusalReason: 'age-outside-programme' };
  }
  if (!referral.languageLevel) {
    return { outcome: 'NEEDS_INFO', missing: ['languageLevel'] };
  }
  if (LANGUAGE_LEVELS.indexOf(referral.languageLevel) < LANGUAGE_LEVELS.indexOf(criteria.minLanguageLevel)) {
    return { outcome: 'REFUSED', refusalReason: 'language-level-below-entry' };
  }
  if (fullProgrammes.includes(referral.programme)) {
    return { outcome: 'REFUSED', refusalReason: 'no-programme-capacity' };
  }
  return { outcome: 'ACCEPTED' };
}
