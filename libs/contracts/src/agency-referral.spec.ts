import { AGENCY_REFERRAL_FLOWS, agencyDecisionProblems, agencyInformationProblems } from './agency-referral';
import { handoffWorkflowId } from './case-ref';
import { slaFor } from './sla';

describe('agency referral contracts', () => {
  it('take a decision only with what its outcome needs', () => {
    expect(agencyDecisionProblems({ outcome: 'ACCEPTED' })).toEqual([]);
    expect(agencyDecisionProblems({ outcome: 'REFUSED', refusalReason: 'age-outside-programme' })).toEqual([]);
    expect(agencyDecisionProblems({ outcome: 'NEEDS_INFO', missing: ['languageLevel'] })).toEqual([]);
    expect(agencyDecisionProblems({ outcome: 'REFUSED' })).toHaveLength(1);
    expect(agencyDecisionProblems({ outcome: 'NEEDS_INFO', missing: [] })).toHaveLength(1);
    expect(agencyDecisionProblems({ outcome: 'ACCEPTED', refusalReason: 'no-programme-capacity' })).toHaveLength(1);
    expect(agencyDecisionProblems({ outcome: 'MAYBE' as never })).toHaveLength(1);
    expect(agencyDecisionProblems(undefined)).toHaveLength(1);
  });

  it('take information only if it answers what the agency asked for', () => {
    expect(agencyInformationProblems({ languageLevel: 'B1' }, ['languageLevel'])).toEqual([]);
    expect(agencyInformationProblems({}, ['languageLevel'])).toEqual(['languageLevel is what the agency asked for']);
    expect(agencyInformationProblems({ languageLevel: 'fluent' as never }, ['languageLevel'])).toHaveLength(1);
  });

  it('name the legal basis of every flow and have SLA policies in force', () => {
    for (const flow of Object.values(AGENCY_REFERRAL_FLOWS)) {
      expect(flow.legalBasis).toMatch(/§ 50 Abs\. 1 SGB II/);
    }
    expect(AGENCY_REFERRAL_FLOWS.referral.legalBasis).toContain('§§ 88, 89 SGB X');
    expect(slaFor('agency-decision', '2026-11-24')).toBe('14 days');
    expect(slaFor('agency-information', '2026-11-24')).toBe('7 days');
    expect(handoffWorkflowId('agency-referral', 'JC-2026-000417')).toBe('agency-referral:JC-2026-000417');
  });
});
