import type { AgencyConsentRequest } from '@handoffs/contracts';
import { assessConsent } from './consent-criteria';
import { SAMPLE_CONSENT_REQUEST as REQUEST } from './sample-requests';

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
