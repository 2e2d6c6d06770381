import { addDays, lastDayOfMonth, type StatusAnswer } from '@handoffs/contracts';
import { ANSWER_ALLOWED, BA_CUSTOMER_NUMBER, SUBJECT } from './fixtures';

// What caseworkers send to start and move the handoffs, shared by the end-to-end and the fault tests.

const DAY_MS = 86_400_000;

/** The job a status inquiry names when the employment agency's consent may be needed (§ 39 AufenthG). */
export const PLANNED_EMPLOYMENT = { employer: 'Ruhr Logistik GmbH', occupation: 'Warehouse operative', hoursPerWeek: 39, grossMonthlyWage: 2850, startDate: '2026-01-15' };

/** An immigration caseworker's answer that the permission needs the employment agency's consent. */
export const ANSWER_NEEDS_CONSENT = {
  ...ANSWER_ALLOWED,
  legalBasis: '§ 19c Abs. 1 AufenthG',
  employmentPermission: 'NEEDS_PERMISSION',
  agencyConsent: 'required',
} as const satisfies StatusAnswer;

/** SUBJECT as the job centre refers them to the employment agency: with the BA-Kundennummer, without the AZR number. */
export const REFERRED_SUBJECT = { baCustomerNumber: BA_CUSTOMER_NUMBER, familyName: SUBJECT.familyName, givenNames: SUBJECT.givenNames, dateOfBirth: SUBJECT.dateOfBirth };

/** A deportation case of a family with three children, planned three days ahead. */
export function deportationRequest(caseRef: string) {
  const plannedDate = new Date(Date.now() + 3 * DAY_MS).toISOString().slice(0, 10);
  return { caseRef, caseworkerId: 'abh.vollzug', childrenAges: [4, 9, 15], vulnerabilities: ['school-age-children'], plannedDate };
}

/** 09:00 UTC two days ahead: a day operation. */
export function dayOperation(): string {
  return `${new Date(Date.now() + 2 * DAY_MS).toISOString().slice(0, 10)}T09:00:00.000Z`;
}

/** 23:30 Berlin time in winter (00:30 in summer), two days ahead: a night operation. */
export function nightOperation(): string {
  return `${new Date(Date.now() + 2 * DAY_MS).toISOString().slice(0, 10)}T22:30:00.000Z`;
}

/** AsylbLG paid month by month, from the month of `from` through the month of `through`. */
export function monthlyPayments(from: string, through: string): { from: string; to: string }[] {
  const payments: { from: string; to: string }[] = [];
  for (let start = `${from.slice(0, 8)}01`; start <= through; start = addDays(lastDayOfMonth(start), 1)) {
    payments.push({ from: start, to: lastDayOfMonth(start) });
  }
  return payments;
}

/** Social services reports a recognition served on `servedOn`, with AsylbLG paid through `paidThrough`. */
export function legalDomainTransferReport(caseRef: string, servedOn: string, paidThrough: string) {
  return {
    caseRef,
    caseworkerId: 'sa.yilmaz',
    recognition: { kind: 'refugee-status', servedOn },
    asylblg: { since: '2025-03-01', payments: monthlyPayments(addDays(servedOn, -31), paidThrough) },
  };
}
