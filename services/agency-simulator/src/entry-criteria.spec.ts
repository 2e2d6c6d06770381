import type { AgencyReferral } from '@handoffs/contracts';
import { ageOn, assessReferral } from './entry-criteria';

const referral: AgencyReferral = {
  referralId: '4c2b1a0e-1111-4a2b-9c3d-000000000001',
  round: 1,
  caseRef: 'JC-2026-000417',
  programme: 'competence-assessment',
  subject: { baCustomerNumber: '123A456789', familyName: 'Haddad', givenNames: 'Rami', dateOfBirth: '1991-03-14' },
  workPermission: 'CLEARED',
  languageLevel: 'B1',
};
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
