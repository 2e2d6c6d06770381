import type { InquirySubject, StatusAnswer } from '@handoffs/contracts';

/** Personal data used by the tests; the privacy checks look for exactly these strings where they must not be. */
export const SUBJECT: InquirySubject = {
  azrNumber: '104729384756',
  familyName: 'Haddad',
  givenNames: 'Rami Yusuf',
  dateOfBirth: '1991-03-14',
};

export const ANSWER_ALLOWED: StatusAnswer = {
  residenceDocument: 'residence-permit',
  legalBasis: '§ 25 Abs. 2 AufenthG',
  validFrom: '2025-06-01',
  validUntil: '2028-05-31',
  employmentPermission: 'ALLOWED',
  residenceObligation: { land: 'Nordrhein-Westfalen', municipality: 'Mülheim an der Ruhr', until: '2028-05-31' },
};

let serial = 0;
/** A fresh pseudonymous case reference per call, unique across test runs. */
export function newCaseRef(prefix = 'JC'): string {
  serial += 1;
  const stamp = Date.now().toString(36).toUpperCase().slice(-6);
  return `${prefix}-2026-${stamp}${String(serial).padStart(3, '0')}${Math.floor(Math.random() * 36).toString(36).toUpperCase()}`;
}
