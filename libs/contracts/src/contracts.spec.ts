import searchAttributesJson from './search-attributes.json';
import { SUPERVISOR_SEARCH_ATTRIBUTES } from './search-attributes';
import { handoffWorkflowId, isCaseRef } from './case-ref';
import { slaFor, SLA_POLICIES } from './sla';
import { answerProblems, outcomeOf, type StatusAnswer } from './status-clarification';
import { fieldNamesOf } from './transfers';

const answer: StatusAnswer = {
  residenceDocument: 'residence-permit',
  legalBasis: '§ 25 Abs. 2 AufenthG',
  validFrom: '2025-06-01',
  validUntil: '2028-05-31',
  employmentPermission: 'ALLOWED',
};

describe('case references', () => {
  it('admit only pseudonymous keys, never names or dates', () => {
    expect(isCaseRef('JC-2026-000417')).toBe(true);
    for (const bad of ['Haddad-1991-03-14', 'jc-2026-000417', 'JC-2026-', 'JC 2026 000417', '104729384756']) {
      expect(isCaseRef(bad)).toBe(false);
    }
  });

  it('build workflow IDs with the process as prefix and refuse anything else', () => {
    expect(handoffWorkflowId('status-clarification', 'JC-2026-000417')).toBe('status-clarification:JC-2026-000417');
    expect(() => handoffWorkflowId('status-clarification', 'Rami Haddad')).toThrow(TypeError);
  });
});

describe('status clarification outcomes', () => {
  it.each([
    ['ALLOWED', undefined, 'CLEARED'],
    ['ALLOWED', 'only with employer X', 'CLEARED_WITH_RESTRICTION'],
    ['NEEDS_PERMISSION', undefined, 'PENDING_PERMISSION'],
    ['PENDING', undefined, 'PENDING_PERMISSION'],
    ['PROHIBITED', undefined, 'BLOCKED'],
  ] as const)('%s with restriction %s is %s', (employmentPermission, employmentRestriction, outcome) => {
    expect(outcomeOf({ ...answer, employmentPermission, employmentRestriction })).toBe(outcome);
  });

  it('is STATUS_CHANGE whenever the status changed, whatever the permission', () => {
    expect(outcomeOf({ ...answer, statusChange: { kind: 'refugee-status', servedOn: '2026-11-20' } })).toBe('STATUS_CHANGE');
    expect(answerProblems({ ...answer, statusChange: { kind: 'promotion' as never, servedOn: '20.11.2026' } })).toHaveLength(2);
  });

  it('names what makes an answer inconsistent', () => {
    expect(answerProblems(answer)).toEqual([]);
    expect(answerProblems({ ...answer, validUntil: '2024-01-01' })).toEqual(['validUntil lies before validFrom']);
    expect(answerProblems({ ...answer, employmentPermission: 'PROHIBITED', employmentRestriction: 'x' })).toHaveLength(1);
  });
});

describe('SLA policies', () => {
  it('apply the policy in force on the date of the event, unless overridden', () => {
    expect(slaFor('status-inquiry-answer', '2026-11-24T10:00:00Z')).toBe(SLA_POLICIES[0].dueWithin);
    expect(slaFor('status-inquiry-answer', '2026-11-24', { 'status-inquiry-answer': '30 seconds' })).toBe('30 seconds');
    expect(() => slaFor('status-inquiry-answer', '2019-01-01')).toThrow(RangeError);
  });
});

describe('transfer field names', () => {
  it('list nested fields by path and leave out absent ones', () => {
    expect(fieldNamesOf({ subject: { familyName: 'x', azrNumber: undefined }, questions: ['a'] })).toEqual([
      'questions',
      'subject.familyName',
    ]);
  });
});

describe('supervisor search attributes', () => {
  it('are the same in code and in the list the Temporal server registers', () => {
    const inCode = SUPERVISOR_SEARCH_ATTRIBUTES.map((key) => `${key.name}:${key.type}`).sort();
    expect(searchAttributesJson.map((a) => `${a.name}:${a.type.toUpperCase()}`).sort()).toEqual(inCode);
    expect(inCode.map((entry) => entry.split(':')[0])).not.toContain('Status');
  });
});
