import type { AgencyConsentRequest } from '@handoffs/contracts';
import { assessConsent } from './consent-criteria';

const REQUEST: AgencyConsentRequest = {
  consentRequestId: '6f1c2a9e-0b7d-4c1e-9f3a-2d5b8e4c7a10',
  caseRef: 'JC-2026-000417',
  subject: { familyName: 'Haddad', givenNames: 'Rami', dateOfBirth: '1991-03-14' },
  plannedEmployment: { employer: 'Ruhr Logistik GmbH', occupation: 'Warehouse operative', hoursPerWeek: 39, grossMonthlyWage: 2850, startDate: '2026-01-15' },
  residenceDocument: 'residence-permit',
  legalBasis: '§ 19c Abs. 1 AufenthG',
};
const withJob = (job: Partial<AgencyConsentRequest['plannedEmployment']>) => ({ ...REQUEST, plannedEmployment: { ...REQUEST.plannedEmployment, ...job } });

describe('the simulated agency\'s consent check', () => {
  it('consents, objects with a reason, or stays silent, in a fixed order', () => {
    expect(assessConsent(REQUEST)).toEqual({ outcome: 'CONSENT' });
    expect(assessConsent(withJob({ grossMonthlyWage: 1999.99 }))).toEqual({ outcome: 'OBJECTION', objectionReason: 'wage-below-comparable-workers' });
    expect(assessConsent(withJob({ hoursPerWeek: 49, grossMonthlyWage: 100 }))).toEqual({ outcome: 'OBJECTION', objectionReason: 'working-hours-above-limit' });
    expect(assessConsent(withJob({ hoursPerWeek: 48 }))).toEqual({ outcome: 'CONSENT' });
    expect(assessConsent(withJob({ employer: 'Bäckerei Schweigen', hoursPerWeek: 60 }))).toEqual({ outcome: 'SILENT' });
  });
});
