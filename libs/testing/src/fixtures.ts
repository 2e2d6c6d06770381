import type { InquirySubject, StatusAnswer } from '@handoffs/contracts';
import demoPeople from './demo-people.json';

/** Personal data used by the tests; the privacy checks look for exactly these strings where they must not be. */
export const SUBJECT: InquirySubject = {
  azrNumber: '104729384756',
  familyName: 'Haddad',
  givenNames: 'Rami Yusuf',
  dateOfBirth: '1991-03-14',
};

/** The demo's fictitious people by case reference: scripts/demo.mjs sends these (one list, read by both). */
export const DEMO_PEOPLE: Readonly<Record<string, { familyName: string; givenNames: string; dateOfBirth: string; baCustomerNumber?: string }>> = demoPeople;

/** The BA-Kundennummer the agency-referral tests send for SUBJECT. */
export const BA_CUSTOMER_NUMBER = '123A456789';

export type PersonalDataKind = 'AZR number' | 'BA customer number' | 'family name' | 'given names' | 'date of birth';

/** One personal value the fixtures or the demo send, with whose it is. */
export interface PersonalValue {
  kind: PersonalDataKind;
  value: string;
  of: string;
}

function personalValues(of: string, person: Partial<Record<'azrNumber' | 'baCustomerNumber' | 'familyName' | 'givenNames' | 'dateOfBirth', string>>): PersonalValue[] {
  const kinds = { azrNumber: 'AZR number', baCustomerNumber: 'BA customer number', familyName: 'family name', givenNames: 'given names', dateOfBirth: 'date of birth' } as const;
  return Object.entries(kinds).flatMap(([field, kind]) => {
    const value = person[field as keyof typeof kinds];
    return value ? [{ kind, value, of }] : [];
  });
}

/**
 * Every personal value the tests and the demo send: what must never appear where Temporal does not
 * encrypt (workflow IDs, search attributes, memo keys, summaries and details; see test/after-suite).
 */
export const PERSONAL_DATA: readonly PersonalValue[] = [
  ...personalValues('SUBJECT', { ...SUBJECT, baCustomerNumber: BA_CUSTOMER_NUMBER }),
  ...Object.entries(DEMO_PEOPLE).flatMap(([caseRef, person]) => personalValues(`the demo's ${caseRef}`, person)),
];

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
