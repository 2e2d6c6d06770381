import { ageOn, assessReferral } from './entry-criteria';
import { SAMPLE_REFERRAL as referral } from './sample-requests';

const day = '2026-11-24';

describe("the simulated agency's entry criteria", () => {
  it('counts full years of age', () => {
    expect([ageOn('1991-03-14', '2026-03-13'), ageOn('1991-03-14', '2026-03-14')]).toEqual([34, 35]);
  });

  it('answers each rule in order, deterministically', () => {
    expect(assessReferral(referral, day)).toEqual({ outcome: 'ACCEPTED' });
    expect(assessReferral({ ...referral, workPermission: 'NOT_CLARIFIED', languageLevel: undefined }, day)).toEqual({
      outcome: 'REFUSED',
      refusalReason: 'work-permission-not-cleared',
    });
    expect(assessReferral({ ...referral, workPermission: 'BLOCKED' }, day).refusalReason).toBe('work-permission-not-cleared');
    expect(assessReferral({ ...referral, programme: 'apprenticeship-placement' }, day).refusalReason).toBe('age-outside-programme');
    expect(assessReferral({ ...referral, languageLevel: undefined }, day)).toEqual({ outcome: 'NEEDS_INFO', missing: ['languageLevel'] });
    expect(assessReferral({ ...referral, languageLevel: 'A1' }, day).refusalReason).toBe('language-level-below-entry');
    expect(assessReferral(referral, day, ['competence-assessment']).refusalReason).toBe('no-programme-capacity');
  });
});
