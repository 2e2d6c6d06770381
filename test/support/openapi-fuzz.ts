// Generated bad input from an OpenAPI document: for each operation, requests that break its published
// schema in a known way (which field, which rule), and well-formed requests that name nothing that
// exists. The services publish their schemas at /docs-json; what the schema does not say, the
// generator does not know, so the published contract has to be true for these tests to mean much.
import fc from 'fast-check';

/** The part of OpenAPI 3.0's schema object the services use. */
export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  nullable?: boolean;
  example?: unknown;
  description?: string;
  default?: unknown;
}

export interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: Schema;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One operation of a document, with what the generator needs of it. */
export interface Operation {
  method: Method;
  /** The path template, e.g. `/inbox/tasks/{taskId}/claim`. */
  path: string;
  /** The path parameters as one object schema (all required), or undefined. */
  pathParams?: Schema;
  /** The query parameters as one object schema, or undefined. */
  query?: Schema;
  /** The JSON request body, resolved, or undefined. */
  body?: Schema;
}

/** A value that breaks its schema, and where: `fields` are dotted paths ('' is the whole value). */
export interface Mutated {
  value: unknown;
  fields: string[];
  kinds: string[];
}

/** What a request breaks, and so what the answer must be. */
export type Violation =
  | { target: 'body' | 'query'; fields: string[]; kinds: string[] }
  | { target: 'path'; fields: string[]; kinds: string[] }
  | { target: 'raw-body'; kinds: string[] }
  | { target: 'nothing'; kinds: ['names-nothing-that-exists'] };

export interface GeneratedRequest {
  method: Method;
  path: string;
  headers: Record<string, string>;
  body?: string;
  violation: Violation;
}

const MAX_DEPTH = 8;

/** Resolves `$ref` and single-schema `allOf` (how @nestjs/swagger writes a described nested DTO). */
export function resolve(schema: Schema, doc: Pick<OpenApiDocument, 'components'>, depth = 0): Schema {
  if (depth > MAX_DEPTH) throw new Error('Schema nests too deep (a cycle?)');
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`No schema ${schema.$ref}`);
    const { $ref: _ref, ...own } = schema;
    return { ...resolve(target, doc, depth + 1), ...own };
  }
  if (schema.allOf) {
    const { allOf, ...own } = schema;
    return Object.assign({}, ...allOf.map((part) => resolve(part, doc, depth + 1)), own);
  }
  return schema;
}

/** Resolves every reference, so that generators and checks need no document. */
export function inline(schema: Schema, doc: Pick<OpenApiDocument, 'components'>, depth = 0): Schema {
  const resolved = resolve(schema, doc, depth);
  return {
    ...resolved,
    ...(resolved.properties
      ? { properties: Object.fromEntries(Object.entries(resolved.properties).map(([key, value]) => [key, inline(value, doc, depth + 1)])) }
      : {}),
    ...(resolved.items ? { items: inline(resolved.items, doc, depth + 1) } : {}),
    ...(typeof resolved.additionalProperties === 'object' ? { additionalProperties: inline(resolved.additionalProperties, doc, depth + 1) } : {}),
  };
}

/** Every operation of the document but those of `excluded` paths, with parameters and body resolved. */
export function operationsOf(doc: OpenApiDocument, excluded: string[] = []): Operation[] {
  return Object.entries(doc.paths)
    .filter(([path]) => !excluded.includes(path))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]): Operation => {
        const parameters = operation.parameters ?? [];
        const asObject = (place: 'path' | 'query'): Schema | undefined => {
          const own = parameters.filter((parameter) => parameter.in === place);
          if (own.length === 0) return undefined;
          return {
            type: 'object',
            properties: Object.fromEntries(own.map((parameter) => [parameter.name, inline(parameter.schema ?? { type: 'string' }, doc)])),
            required: own.filter((parameter) => place === 'path' || parameter.required).map((parameter) => parameter.name),
            additionalProperties: false,
          };
        };
        const json = operation.requestBody?.content['application/json']?.schema;
        return {
          method: method.toUpperCase() as Method,
          path,
          pathParams: asObject('path'),
          query: asObject('query'),
          body: json ? inline(json, doc) : undefined,
        };
      }),
    );
}

// ---------------------------------------------------------------------------------------------
// Values that keep the schema

const DAY_MS = 86_400_000;
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(2099, 11, 31);

function isoDate(): fc.Arbitrary<string> {
  return fc.integer({ min: EARLIEST / DAY_MS, max: LATEST / DAY_MS }).map((day) => new Date(day * DAY_MS).toISOString().slice(0, 10));
}

function isoDateTime(): fc.Arbitrary<string> {
  return fc.integer({ min: EARLIEST / 1000, max: LATEST / 1000 }).map((second) => new Date(second * 1000).toISOString());
}

function decimals(step: number): number {
  const text = String(step);
  return text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
}

function validString(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? Math.max(minLength, 40);
  const fits = (text: string) => text.length >= minLength && text.length <= maxLength;
  if (schema.format === 'date') return isoDate();
  if (schema.format === 'date-time') return isoDateTime();
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'byte') return fc.uint8Array({ maxLength: 48 }).map((bytes) => Buffer.from(bytes).toString('base64'));
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  return fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 40) });
}

function validNumber(schema: Schema): fc.Arbitrary<number> {
  const integer = schema.type === 'integer';
  const step = schema.multipleOf ?? (integer ? 1 : undefined);
  const min = schema.minimum ?? -1_000_000;
  const max = schema.maximum ?? 1_000_000;
  if (step !== undefined) {
    const places = decimals(step);
    return fc.integer({ min: Math.ceil(min / step), max: Math.floor(max / step) }).map((k) => Number((k * step).toFixed(places)));
  }
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
}

/** Values that keep `schema`; `allOptional` also gives every optional property (a base to mutate). */
export function validValue(schema: Schema, { allOptional = false } = {}): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const model = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, validValue(value, { allOptional })]));
      return fc.record(model, { requiredKeys: allOptional ? Object.keys(properties) : (schema.required ?? []) });
    }
    case 'array': {
      const items = validValue(schema.items ?? { type: 'string' }, { allOptional });
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.min(schema.maxItems ?? 4, minLength + 4);
      return schema.uniqueItems
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (item) => JSON.stringify(item) })
        : fc.array(items, { minLength, maxLength });
    }
    case 'number':
    case 'integer':
      return validNumber(schema);
    case 'boolean':
      return fc.boolean();
    default:
      return validString(schema);
  }
}

// ---------------------------------------------------------------------------------------------
// Values that break the schema, each saying where and how

const JSON_TYPES = ['string', 'number', 'boolean', 'object', 'array'] as const;

function jsonTypeOf(schema: Schema): (typeof JSON_TYPES)[number] {
  return schema.type === 'integer' ? 'number' : (schema.type ?? 'string');
}

const OF_TYPE: Record<(typeof JSON_TYPES)[number], fc.Arbitrary<unknown>> = {
  string: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('', '0', 'true', 'null', '[]', '{}')),
  number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
  boolean: fc.boolean(),
  // Prototype keys are a raw body of their own: the JSON parser refuses them before any field is read.
  object: fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }).filter((key) => key !== '__proto__' && key !== 'constructor'), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
  array: fc.array(fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 3 }),
};

/** Text no pattern or format of ours accepts pieces of: control characters, other scripts, emoji, markup. */
const HOSTILE_TEXT = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }),
  fc.constantFrom('\u0000', '\n', '\r\n', '\t', '\u202e', '\ufeff', 'ä', 'İ', '𝟘', '👩‍👩‍👧', '<script>', "' OR 1=1 --", '../', '%00', '${x}'),
);

function mutation(value: unknown, kind: string, field = ''): Mutated {
  return { value, fields: [field], kinds: [kind] };
}

function breaksString(schema: Schema, text: string): boolean {
  if (schema.enum) return !schema.enum.includes(text);
  if (schema.maxLength !== undefined && text.length > schema.maxLength) return true;
  if (schema.minLength !== undefined && text.length < schema.minLength) return true;
  if (schema.pattern && !new RegExp(schema.pattern).test(text)) return true;
  if (schema.format && !FORMATS[schema.format]?.(text)) return true;
  return false;
}

/** The ways a string can break `schema` without changing type. */
function stringViolations(schema: Schema): fc.Arbitrary<Mutated>[] {
  const found: fc.Arbitrary<Mutated>[] = [];
  if (schema.enum) {
    found.push(fc.oneof(fc.string({ maxLength: 20 }), HOSTILE_TEXT, fc.constantFrom(...schema.enum.map((v) => String(v).toUpperCase() + ' ')))
      .filter((text) => !schema.enum?.includes(text))
      .map((text) => mutation(text, 'outside-enum')));
  }
  if (schema.pattern || schema.format) {
    const valid = validString({ ...schema, enum: undefined }) as fc.Arbitrary<string>;
    const broken = fc.oneof(
      fc.string({ maxLength: 30 }),
      HOSTILE_TEXT,
      // A valid value with something wedged in, cut short or padded: near misses, not noise.
      fc.tuple(valid, HOSTILE_TEXT, fc.nat()).map(([text, junk, at]) => text.slice(0, at % (text.length + 1)) + junk + text.slice(at % (text.length + 1))),
      fc.tuple(valid, fc.nat()).map(([text, cut]) => text.slice(0, cut % Math.max(text.length, 1))),
      valid.map((text) => ` ${text}`),
      valid.map((text) => `${text}\n`),
    );
    found.push(broken.filter((text) => breaksString(schema, text)).map((text) => mutation(text, schema.format ? `not-${schema.format}` : 'breaks-pattern')));
  }
  if (schema.format === 'date' || schema.format === 'date-time') {
    found.push(fc.constantFrom('2026-02-30', '2026-13-01', '2026-00-10', '31.12.2026', '2026-1-5', 'yesterday', '2026-W61')
      .map((text) => (schema.format === 'date-time' ? `${text}T10:00:00Z` : text))
      .filter((text) => breaksString(schema, text))
      .map((text) => mutation(text, `not-${schema.format}`)));
  }
  if (schema.maxLength !== undefined) {
    const limit = schema.maxLength;
    found.push(fc.oneof(fc.integer({ min: limit + 1, max: limit + 40 }), fc.constant(Math.max(limit * 50, 20_000)))
      .chain((length) => fc.constantFrom('a', 'ä', '0', '.').map((unit) => unit.repeat(length)))
      .filter((text) => breaksString(schema, text))
      .map((text) => mutation(text, 'too-long')));
  }
  if (schema.minLength !== undefined && schema.minLength > 0) {
    found.push(fc.string({ maxLength: schema.minLength - 1 }).map((text) => mutation(text, 'too-short')));
  }
  return found;
}

function numberViolations(schema: Schema): fc.Arbitrary<Mutated>[] {
  const found: fc.Arbitrary<Mutated>[] = [];
  if (schema.minimum !== undefined) {
    const below = schema.minimum;
    found.push(fc.oneof(fc.constant(below - 1), fc.integer({ min: -1e9, max: Math.ceil(below) - 1 })).filter((n) => n < below).map((n) => mutation(n, 'below-minimum')));
  }
  if (schema.maximum !== undefined) {
    const above = schema.maximum;
    found.push(fc.oneof(fc.constant(above + 1), fc.integer({ min: Math.floor(above) + 1, max: 1e12 }), fc.constant(Number.MAX_SAFE_INTEGER * 4)).filter((n) => n > above).map((n) => mutation(n, 'above-maximum')));
  }
  const step = schema.multipleOf ?? (schema.type === 'integer' ? 1 : undefined);
  if (step !== undefined) {
    found.push(validNumber({ ...schema, multipleOf: undefined, type: 'number' }).map((n) => n + step / 3).filter((n) => !isMultiple(n, step) && inRange(schema, n)).map((n) => mutation(n, schema.type === 'integer' ? 'not-integer' : 'not-multiple')));
  }
  return found;
}

function inRange(schema: Schema, n: number): boolean {
  return (schema.minimum === undefined || n >= schema.minimum) && (schema.maximum === undefined || n <= schema.maximum);
}

function isMultiple(n: number, step: number): boolean {
  const k = n / step;
  return Math.abs(k - Math.round(k)) < 1e-6;
}

function under(field: string, mutated: Mutated): Mutated {
  return { ...mutated, fields: mutated.fields.map((inner) => (inner ? `${field}.${inner}` : field)) };
}

function unknownKey(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('id', 'admin', 'isAdmin', 'role', 'toString', 'valueOf', 'hasOwnProperty', '$where', 'prototype', '0'))
    .filter((key) => !known.includes(key) && key !== '__proto__' && key !== 'constructor');
}

export interface MutationOptions {
  /** Query and path values are text: no other JSON types, no nesting. */
  text?: boolean;
}

/** Values that break `schema`, each with the dotted path of what it broke. */
export function invalidValue(schema: Schema, options: MutationOptions = {}, depth = 0): fc.Arbitrary<Mutated> {
  const ways: fc.Arbitrary<Mutated>[] = [];
  const type = jsonTypeOf(schema);
  if (!options.text) {
    ways.push(fc.constantFrom(...JSON_TYPES.filter((other) => other !== type)).chain((other) => OF_TYPE[other]).map((value) => mutation(value, 'wrong-type')));
    if (!schema.nullable) ways.push(fc.constant(mutation(null, 'null')));
  }
  if (schema.enum || type === 'string') ways.push(...stringViolations(schema));
  if (type === 'number') ways.push(...numberViolations(schema));
  if (type === 'array' && !options.text) ways.push(...arrayViolations(schema, depth));
  if (type === 'object') ways.push(...objectViolations(schema, options, depth));
  if (ways.length === 0) throw new Error(`Nothing breaks ${JSON.stringify(schema)}`);
  return fc.oneof(...ways);
}

function arrayViolations(schema: Schema, depth: number): fc.Arbitrary<Mutated>[] {
  const found: fc.Arbitrary<Mutated>[] = [];
  const items = schema.items ?? {};
  const valid = validValue(schema, { allOptional: true }) as fc.Arbitrary<unknown[]>;
  if (schema.minItems !== undefined && schema.minItems > 0) {
    found.push(valid.map((list) => mutation(list.slice(0, schema.minItems! - 1), 'too-few-items')));
  }
  if (schema.maxItems !== undefined) {
    const limit = schema.maxItems;
    found.push(validValue(items).map((item) => mutation(Array.from({ length: limit + 1 }, () => item), 'too-many-items')));
  }
  if (schema.uniqueItems) {
    found.push(fc.tuple(valid, validValue(items)).map(([list, item]) => mutation([...list, item, item], 'duplicate-items')));
  }
  if (depth < MAX_DEPTH) {
    found.push(fc.tuple(valid, invalidValue(items, {}, depth + 1)).map(([list, broken]) => {
      const item = under(String(list.length), broken);
      return { value: [...list, broken.value], fields: item.fields, kinds: broken.kinds.map((kind) => `item-${kind}`) };
    }));
  }
  return found;
}

function objectViolations(schema: Schema, options: MutationOptions, depth: number): fc.Arbitrary<Mutated>[] {
  const found: fc.Arbitrary<Mutated>[] = [];
  const properties = schema.properties ?? {};
  const keys = Object.keys(properties);
  const required = schema.required ?? [];
  const base = validValue(schema, { allOptional: true }) as fc.Arbitrary<Record<string, unknown>>;
  if (required.length > 0) {
    found.push(fc.tuple(base, fc.subarray(required, { minLength: 1 })).map(([value, dropped]) => ({
      value: Object.fromEntries(Object.entries(value).filter(([key]) => !dropped.includes(key))),
      fields: dropped,
      kinds: dropped.map(() => 'missing-required'),
    })));
  }
  if (schema.additionalProperties === false) {
    const extra = options.text ? fc.string({ maxLength: 10 }) : fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null), OF_TYPE.object);
    found.push(fc.tuple(base, unknownKey(keys), extra).map(([value, key, content]) => ({ value: { ...value, [key]: content }, fields: [key], kinds: ['unknown-property'] })));
  }
  const breakable = keys.filter((key) => depth < MAX_DEPTH && canBreak(properties[key], options));
  if (breakable.length > 0) {
    // Built once: building an arbitrary (a pattern's above all) costs far more than drawing from it.
    const brokenOf = Object.fromEntries(breakable.map((key) => [key, invalidValue(properties[key], options, depth + 1)]));
    const one = (key: string) => brokenOf[key].map((broken) => ({ key, broken }));
    // One property broken, or several at once: each must be named.
    found.push(fc.tuple(base, fc.uniqueArray(fc.constantFrom(...breakable), { minLength: 1, maxLength: Math.min(3, breakable.length) }))
      .chain(([value, chosen]) => fc.tuple(fc.constant(value), fc.tuple(...chosen.map(one))))
      .map(([value, broken]) => ({
        value: { ...value, ...Object.fromEntries(broken.map(({ key, broken: b }) => [key, b.value])) },
        fields: broken.flatMap(({ key, broken: b }) => under(key, b).fields),
        kinds: broken.flatMap(({ broken: b }) => b.kinds),
      })));
  }
  if (options.text && breakable.length > 0) {
    // A parameter given twice arrives as a list.
    const validOf = Object.fromEntries(breakable.map((key) => [key, validValue(properties[key])]));
    found.push(fc.tuple(base, fc.constantFrom(...breakable)).chain(([value, key]) =>
      validOf[key].map((again) => ({ value: { ...value, [key]: [value[key] ?? again, again] }, fields: [key], kinds: ['repeated'] })),
    ));
  }
  return found;
}

function canBreak(schema: Schema, options: MutationOptions): boolean {
  if (!options.text) return true;
  return Boolean(schema.enum || schema.pattern || schema.format || schema.maxLength !== undefined || (schema.minLength ?? 0) > 0 || schema.type === 'number' || schema.type === 'integer');
}

// ---------------------------------------------------------------------------------------------
// Requests

export interface RequestOptions {
  /** Values of path parameters that name something that exists: bad bodies are sent there too. */
  existing?: Record<string, string[]>;
  /** Headers every request carries (e.g. authorization). */
  headers?: Record<string, string>;
  /** Also send well-formed requests naming nothing that exists (only where a path parameter names it and it changes nothing). */
  namesNothing?: boolean;
  /** The body limit of the server: some raw bodies go beyond it (none if not given). */
  bodyLimit?: number;
}

function fillPath(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name])));
}

function queryString(values: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    for (const one of Array.isArray(value) ? value : [value]) search.append(key, String(one));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** Bodies that are not the JSON object asked for: broken syntax, other types, other media, too large, prototype keys. */
interface RawBody {
  headers: Record<string, string>;
  body?: string;
  kinds: string[];
}

function rawBodies(valid: fc.Arbitrary<unknown>, bodyLimit: number | undefined): fc.Arbitrary<RawBody> {
  const json = (body: string, kind: string): RawBody => ({ headers: JSON_HEADERS, body, kinds: [kind] });
  return fc.oneof<fc.Arbitrary<RawBody>[]>(
    valid.chain((value) => fc.nat().map((cut) => {
      const text = JSON.stringify(value);
      return json(text.slice(0, cut % Math.max(text.length - 1, 1)), 'malformed-json');
    })),
    fc.constantFrom('{', '{"a":}', "{'a':1}", '{"a":1,}', 'NaN', 'undefined', '\u0000', '{"a":"\u0000"', '\ufeff{}').map((body) => json(body, 'malformed-json')),
    fc.constantFrom('null', '[]', '[{}]', '0', '"text"', 'true', '{}').map((body) => json(body, 'not-the-object')),
    fc.constant<RawBody>({ headers: JSON_HEADERS, body: '', kinds: ['empty-body'] }),
    fc.constant<RawBody>({ headers: {}, body: undefined, kinds: ['no-body'] }),
    valid.chain((value) => fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream')
      .map((contentType) => ({ headers: { 'content-type': contentType }, body: JSON.stringify(value), kinds: ['wrong-content-type'] }))),
    ...(bodyLimit === undefined ? [] : [valid.map((value) => json(JSON.stringify({ huge: 'x'.repeat(bodyLimit), ...(value as object) }), 'too-large'))]),
    fc.tuple(valid, fc.constantFrom('"__proto__":{"isAdmin":true}', '"constructor":{"prototype":{"isAdmin":true}}', '"__proto__":null'))
      .map(([value, key]) => json(`{${key},${JSON.stringify(value).slice(1)}`, 'prototype-key')),
  );
}

/** Requests to `operation` that break its schema or name nothing that exists, each saying which. */
export function badRequests(operation: Operation, options: RequestOptions = {}): fc.Arbitrary<GeneratedRequest> {
  const { method, path, pathParams, query, body } = operation;
  const headers = options.headers ?? {};
  const existing = options.existing ?? {};
  const validPath: fc.Arbitrary<Record<string, unknown>> = pathParams
    ? fc.record(Object.fromEntries(Object.entries(pathParams.properties ?? {}).map(([name, schema]) => [
        name,
        existing[name]?.length ? fc.oneof(validValue(schema), fc.constantFrom(...existing[name])) : validValue(schema),
      ])))
    : fc.constant({});
  const validQuery = query ? (validValue(query) as fc.Arbitrary<Record<string, unknown>>) : fc.constant({});
  const validBody = body ? validValue(body) : fc.constant(undefined);
  // Where the body is not what is broken, it gives every optional field: fields required only with
  // some value of another (an award's dates) are there, so the answer is about what was broken.
  const fullBody = body ? validValue(body, { allOptional: true }) : fc.constant(undefined);
  const send = (pathValues: Record<string, unknown>, queryValues: Record<string, unknown>, bodyValue: unknown) => ({
    method,
    path: fillPath(path, pathValues) + queryString(queryValues),
    headers: bodyValue === undefined ? headers : { ...headers, ...JSON_HEADERS },
    body: bodyValue === undefined ? undefined : JSON.stringify(bodyValue),
  });

  const ways: { arbitrary: fc.Arbitrary<GeneratedRequest>; weight: number }[] = [];
  if (body) {
    ways.push({
      weight: 6,
      arbitrary: fc.tuple(validPath, validQuery, invalidValue(body)).map(([p, q, broken]) => ({
        ...send(p, q, broken.value),
        violation: { target: 'body', fields: broken.fields, kinds: broken.kinds },
      })),
    });
    ways.push({
      weight: 2,
      arbitrary: fc.tuple(validPath, validQuery, rawBodies(validBody, options.bodyLimit)).map(([p, q, raw]) => ({
        method,
        path: fillPath(path, p) + queryString(q),
        headers: { ...headers, ...raw.headers },
        body: raw.body,
        violation: { target: 'raw-body', kinds: raw.kinds },
      })),
    });
  }
  if (query) {
    ways.push({
      weight: 4,
      arbitrary: fc.tuple(validPath, invalidValue(query, { text: true }), fullBody).map(([p, broken, b]) => ({
        ...send(p, broken.value as Record<string, unknown>, b === undefined ? undefined : b),
        violation: { target: 'query', fields: broken.fields, kinds: broken.kinds },
      })),
    });
  }
  if (pathParams && Object.values(pathParams.properties ?? {}).some((schema) => canBreak(schema, { text: true }))) {
    ways.push({
      weight: 3,
      arbitrary: fc.tuple(invalidValue(pathParams, { text: true }).filter((broken) => !broken.kinds.includes('unknown-property') && !broken.kinds.includes('missing-required') && !broken.kinds.includes('repeated')), validQuery, fullBody)
        .map(([broken, q, b]) => ({
          ...send(broken.value as Record<string, unknown>, q, b),
          violation: { target: 'path', fields: broken.fields, kinds: broken.kinds },
        })),
    });
  }
  if (options.namesNothing && pathParams) {
    // Freshly generated identifiers: valid in form, and nothing by that name exists.
    const fresh = fc.record(Object.fromEntries(Object.entries(pathParams.properties ?? {}).map(([name, schema]) => [name, validValue(schema)])));
    ways.push({
      weight: 2,
      arbitrary: fc.tuple(fresh, validQuery, fullBody).map(([p, q, b]) => ({
        ...send(p, q, b),
        violation: { target: 'nothing', kinds: ['names-nothing-that-exists'] },
      })),
    });
  }
  if (ways.length === 0) throw new Error(`${method} ${path} takes no input to break`);
  return fc.oneof(...ways);
}

// ---------------------------------------------------------------------------------------------
// A small check of values against a schema, for the generator's own test

const FORMATS: Record<string, (text: string) => boolean> = {
  date: (text) => {
    const time = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
    return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
  },
  // As the services check it (class-validator's strict ISO 8601): a full instant is what clients
  // send, but a date or a month is ISO 8601 too, so only what is none of these breaks the format.
  'date-time': (text) => {
    const parts = /^(\d{4})(-(\d{2})(-(\d{2})([T ]\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?)?)?$/.exec(text);
    if (!parts) return false;
    const [, year, , month = '01', , day = '01'] = parts;
    return FORMATS.date(`${year}-${month}-${day}`) && !Number.isNaN(Date.parse(text.length > 10 ? text : `${year}-${month}-${day}`));
  },
  uuid: (text) => /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(text),
  byte: (text) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text),
};

/** The dotted paths at which `value` breaks `schema` (empty: it keeps it). */
export function schemaProblems(schema: Schema, value: unknown, field = ''): string[] {
  const at = (inner: string) => (field ? `${field}.${inner}` : inner);
  if (value === null) return schema.nullable ? [] : [field];
  if (schema.enum) return schema.enum.includes(value) ? [] : [field];
  const type = jsonTypeOf(schema);
  const actual = Array.isArray(value) ? 'array' : typeof value;
  if (actual !== type) return [field];
  switch (type) {
    case 'string':
      return breaksString(schema, value as string) ? [field] : [];
    case 'number': {
      const n = value as number;
      const step = schema.multipleOf ?? (schema.type === 'integer' ? 1 : undefined);
      return !Number.isFinite(n) || !inRange(schema, n) || (step !== undefined && !isMultiple(n, step)) ? [field] : [];
    }
    case 'array': {
      const list = value as unknown[];
      const own = (schema.minItems !== undefined && list.length < schema.minItems) || (schema.maxItems !== undefined && list.length > schema.maxItems) ||
        (schema.uniqueItems && new Set(list.map((item) => JSON.stringify(item))).size !== list.length);
      return [...(own ? [field] : []), ...list.flatMap((item, index) => schemaProblems(schema.items ?? {}, item, at(String(index))))];
    }
    case 'object': {
      const record = value as Record<string, unknown>;
      const properties = schema.properties ?? {};
      return [
        ...(schema.required ?? []).filter((key) => record[key] === undefined).map(at),
        ...Object.keys(record).filter((key) => !Object.hasOwn(properties, key) && schema.additionalProperties === false).map(at),
        ...Object.entries(record).filter(([key]) => Object.hasOwn(properties, key)).flatMap(([key, item]) => schemaProblems(properties[key], item, at(key))),
      ];
    }
    default:
      return [];
  }
}

/** Whether a problem reported at `reported` names the mutated `field` (or the object holding it, or a part of it). */
export function names(reported: string, field: string): boolean {
  const normal = (path: string) => path.replace(/\[(\d+)\]/g, '.$1');
  const [r, f] = [normal(reported), normal(field)];
  return r === f || f === '' || f.startsWith(`${r}.`) || r.startsWith(`${f}.`);
}
