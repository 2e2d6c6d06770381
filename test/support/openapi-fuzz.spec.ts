import fc from 'fast-check';
import { badRequests, inline, invalidValue, names, operationsOf, schemaProblems, validValue, type OpenApiDocument } from './openapi-fuzz';

// A document in the shape @nestjs/swagger writes: $ref into components, allOf around a described
// nested DTO, enums, patterns, formats, bounds, arrays of objects.
const doc: OpenApiDocument = {
  paths: {
    '/things': { post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingDto' } } } } } },
    '/things/{thingId}/notes': {
      post: {
        parameters: [{ in: 'path', name: 'thingId', required: true, schema: { type: 'string', format: 'uuid' } }],
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/NoteDto' } } } },
      },
    },
    '/things/{caseRef}': {
      get: {
        parameters: [
          { in: 'path', name: 'caseRef', required: true, schema: { type: 'string', pattern: '^[A-Z]{2,5}-\\d{4}-[0-9A-Z]{3,12}$' } },
          { in: 'query', name: 'state', required: false, schema: { type: 'string', enum: ['open', 'closed'] } },
          { in: 'query', name: 'since', required: true, schema: { type: 'string', format: 'date-time' } },
        ],
      },
    },
    '/health': { get: {} },
  },
  components: {
    schemas: {
      PeriodDto: {
        type: 'object',
        additionalProperties: false,
        properties: { from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } },
        required: ['from', 'to'],
      },
      ThingDto: {
        type: 'object',
        additionalProperties: false,
        properties: {
          caseRef: { type: 'string', pattern: '^[A-Z]{2,5}-\\d{4}-[0-9A-Z]{3,12}$' },
          kind: { type: 'string', enum: ['a', 'b'] },
          reason: { type: 'string', minLength: 1, maxLength: 20 },
          hours: { type: 'integer', minimum: 1, maximum: 80 },
          wage: { type: 'number', minimum: 0, maximum: 1000000, multipleOf: 0.01 },
          questions: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: ['x', 'y', 'z'] } },
          periods: { type: 'array', items: { $ref: '#/components/schemas/PeriodDto' } },
          period: { description: 'described', allOf: [{ $ref: '#/components/schemas/PeriodDto' }] },
          note: { type: 'string' },
          urgent: { type: 'boolean' },
        },
        required: ['caseRef', 'kind', 'reason', 'hours', 'questions', 'period'],
      },
      NoteDto: {
        type: 'object',
        additionalProperties: false,
        properties: { caseworkerId: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{1,63}$' }, at: { type: 'string', format: 'date-time' } },
        required: ['caseworkerId'],
      },
    },
  },
};

const thing = inline({ $ref: '#/components/schemas/ThingDto' }, doc);

describe('generated input from an OpenAPI schema', () => {
  it('resolves $ref and allOf, and reads every operation but the excluded ones', () => {
    expect(thing.properties?.period).toMatchObject({ type: 'object', description: 'described', required: ['from', 'to'] });
    expect(thing.properties?.periods?.items).toMatchObject({ type: 'object', properties: { from: { format: 'date' } } });
    const operations = operationsOf(doc, ['/health']);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(['POST /things', 'POST /things/{thingId}/notes', 'GET /things/{caseRef}']);
    expect(operations[2].query).toMatchObject({ required: ['since'], additionalProperties: false });
    expect(operations[2].pathParams).toMatchObject({ required: ['caseRef'] });
  });

  it('generates valid values that keep the schema', () => {
    fc.assert(fc.property(validValue(thing), (value) => expect(schemaProblems(thing, value)).toEqual([])), { numRuns: 1000 });
    fc.assert(fc.property(validValue(thing, { allOptional: true }), (value) => expect(schemaProblems(thing, value)).toEqual([])), { numRuns: 300 });
  });

  it('generates mutations that break the schema where they say', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(invalidValue(thing), (mutated) => {
        mutated.kinds.forEach((kind) => kinds.add(kind));
        const problems = schemaProblems(thing, mutated.value);
        expect(problems.length).toBeGreaterThan(0);
        for (const field of mutated.fields) {
          expect(problems.some((problem) => names(problem, field))).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
    // Every rule of the schema above is broken somewhere in the run.
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        'missing-required', 'unknown-property', 'wrong-type', 'null', 'outside-enum', 'breaks-pattern', 'not-date', 'too-long',
        'too-short', 'below-minimum', 'above-maximum', 'not-integer', 'not-multiple', 'too-few-items', 'duplicate-items', 'item-outside-enum',
      ]),
    );
  });

  it('breaks query and path values only as text', () => {
    const [, , get] = operationsOf(doc, ['/health']);
    fc.assert(
      fc.property(invalidValue(get.query!, { text: true }), (mutated) => {
        expect(schemaProblems(get.query!, mutated.value).length).toBeGreaterThan(0);
        for (const value of Object.values(mutated.value as object)) {
          expect(typeof value === 'string' || Array.isArray(value)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('makes requests that say what they break', () => {
    const [post, notes, get] = operationsOf(doc, ['/health']);
    const targets = new Set<string>();
    fc.assert(
      fc.property(fc.oneof(badRequests(post), badRequests(notes, { namesNothing: true }), badRequests(get, { namesNothing: true })), (request) => {
        targets.add(request.violation.target);
        if (request.violation.target === 'body') {
          const schema = request.path.startsWith('/things/') ? notes.body! : post.body!;
          expect(schemaProblems(schema, JSON.parse(request.body!)).length).toBeGreaterThan(0);
        }
        if (request.violation.target === 'nothing') {
          expect(request.path).toMatch(/^\/things\/[^/?]+/);
        }
      }),
      { numRuns: 1000 },
    );
    expect([...targets].sort()).toEqual(['body', 'nothing', 'path', 'query', 'raw-body']);
  });

  it('counts a problem as naming a field when it names the field, the object holding it, or a part of it', () => {
    expect(names('answer.validFrom', 'answer.validFrom')).toBe(true);
    expect(names('questions', 'questions.2')).toBe(true);
    expect(names('payloads[0]', 'payloads.0.extra')).toBe(true);
    expect(names('subject.familyName', 'subject')).toBe(true);
    expect(names('caseRef', 'caseworkerId')).toBe(false);
  });
});
