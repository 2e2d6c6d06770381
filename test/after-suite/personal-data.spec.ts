import { DEMO_PEOPLE, PERSONAL_DATA, SUBJECT, type PersonalValue } from '@handoffs/testing';
import { describeFinding, findPersonalData, mask, needlesFor, redact } from './personal-data';

const WHERE = { namespace: 'test-ns', workflowId: 'status-clarification:JC-2026-000417', field: 'static summary' };

describe('finding personal values in what Temporal does not encrypt', () => {
  const needles = needlesFor(PERSONAL_DATA);
  const kindsIn = (text: string) => findPersonalData(text, WHERE, needles).map((finding) => finding.kind);

  it("collects the fixtures' and the demo's people in one list", () => {
    const values = PERSONAL_DATA.map((value) => value.value);
    expect(values).toEqual(expect.arrayContaining([SUBJECT.familyName, SUBJECT.givenNames, SUBJECT.dateOfBirth, SUBJECT.azrNumber]));
    for (const person of Object.values(DEMO_PEOPLE)) {
      expect(values).toEqual(expect.arrayContaining([person.familyName, person.givenNames, person.dateOfBirth]));
    }
  });

  it('finds a date of birth written as ISO, German or compact date', () => {
    const [year, month, day] = SUBJECT.dateOfBirth.split('-');
    for (const written of [`born ${year}-${month}-${day}`, `geb. ${day}.${month}.${year}`, `JC-${year}${month}${day}-1`]) {
      expect(kindsIn(written)).toEqual(['date of birth']);
    }
  });

  it('finds a name in any case, also a part of it inside an identifier, but not inside another word', () => {
    const [firstGivenName] = SUBJECT.givenNames.split(' ');
    expect(kindsIn(`Case of ${SUBJECT.familyName.toUpperCase()}`)).toEqual(['family name']);
    expect(kindsIn(`status-clarification:JC-${firstGivenName.toLowerCase()}-001`)).toEqual(['given names']);
    expect(kindsIn(`${firstGivenName.toLowerCase()}fication of the answer`)).toEqual([]);
  });

  it('finds identifiers, and nothing in what a handoff legitimately shows', () => {
    expect(kindsIn(`AZR ${SUBJECT.azrNumber}`)).toEqual(['AZR number']);
    const legitimate = [
      'Waiting on the immigration office (Ausländerbehörde) for an answer on the work permission since 2026-11-24 09:12 UTC; due 2026-12-01 09:12 UTC.',
      'Status clarification JC-2026-000417: job centre asks the immigration office about work permission',
      'deadline-passed',
    ];
    for (const text of legitimate) expect(kindsIn(text)).toEqual([]);
  });

  it('reports where it found a value without printing the value', () => {
    const planted: PersonalValue = { kind: 'family name', value: 'Example', of: 'a test' };
    const own = needlesFor([planted]);
    const [finding] = findPersonalData('about Example', { ...WHERE, workflowId: 'status-clarification:example-7' }, own);
    const message = describeFinding(finding);
    expect(message).toBe(`test-ns / status-clarification:[family name]-7 / static summary: a family name (${mask('Example')}, a test)`);
    expect(message.toLowerCase()).not.toContain('example');
    expect(redact('Example and EXAMPLE', own)).toBe('[family name] and [family name]');
  });
});
