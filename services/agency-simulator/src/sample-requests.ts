import type { AgencyConsentRequest, AgencyReferral } from '@handoffs/contracts';

/** A referral the desk accepts, for the specs. */
export const SAMPLE_REFERRAL: AgencyReferral = {
  referralId: '4c2b1a0e-1111-4a2b-9c3d-000000000001',
  round: 1,
  caseRef: 'JC-2026-000417',
  programme: 'competence-assessment',
  subject: { baCustomerNumber: '123A456789', familyName: 'Haddad', givenNames: 'Rami', dateOfBirth: '1991-03-14' },
  workPermission: 'CLEARED',
  languageLevel: 'B1',
};

/** A consent request the desk consents to, for the specs. */
export const SAMPLE_CONSENT_REQUEST: AgencyConsentRequest = {
  consentRequestId: '6f1c2a9e-0b7d-4c1e-9f3a-2d5b8e4c7a10',
  caseRef: 'JC-2026-000417',
  subject: { familyName: 'Haddad', givenNames: 'Rami', dateOfBirth: '1991-03-14' },
  plannedEmployment: { employer: 'Ruhr Logistik GmbH', occupation: 'Warehouse operative', hoursPerWeek: 39, grossMonthlyWage: 2850, startDate: '2026-01-15' },
  residenceDocument: 'residence-permit',
  legalBasis: '§ 19c Abs. 1 AufenthG',
};
