import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { AZR_NUMBER_PATTERN, CASE_REF_PATTERN, PROCESSES } from '@handoffs/contracts';

/** The part of an OpenAPI schema this module reads and writes. */
interface SchemaObject {
  $ref?: string;
  allOf?: SchemaObject[];
  type?: string;
  properties?: Record<string, SchemaObject>;
  items?: SchemaObject;
  additionalProperties?: boolean;
  nullable?: boolean;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

interface ParameterObject {
  in: string;
  name: string;
  schema?: SchemaObject;
}

interface OperationObject {
  parameters?: ParameterObject[];
  requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
}

/** A class with validation decorators. */
type DtoClass = abstract new (...args: never[]) => unknown;

/**
 * What a path parameter of a given name is, in every service: the controllers check it (a pattern
 * or ParseUUIDPipe, else 404), and the published contract says so.
 */
const PATH_PARAMETERS: Record<string, SchemaObject> = {
  caseRef: { type: 'string', pattern: CASE_REF_PATTERN.source },
  taskId: { type: 'string', format: 'uuid' },
  process: { type: 'string', enum: [...PROCESSES] },
  azrNumber: { type: 'string', pattern: AZR_NUMBER_PATTERN.source },
};

/** The classes class-validator knows, by name; a name given to two classes is left out. */
function validatedClasses(): Map<string, DtoClass> {
  // class-validator keeps its metadata per class in this map; it offers no public way to list them.
  const perClass = (getMetadataStorage() as unknown as { validationMetadatas: Map<DtoClass, ValidationMetadata[]> }).validationMetadatas;
  const byName = new Map<string, DtoClass>();
  const seenTwice = new Set<string>();
  for (const target of perClass.keys()) {
    if (byName.has(target.name)) seenTwice.add(target.name);
    byName.set(target.name, target);
  }
  seenTwice.forEach((name) => byName.delete(name));
  return byName;
}

function rulesOf(target: DtoClass): Map<string, ValidationMetadata[]> {
  const rules = new Map<string, ValidationMetadata[]>();
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(target as unknown as new () => unknown, '', true, false)) {
    rules.set(rule.propertyName, [...(rules.get(rule.propertyName) ?? []), rule]);
  }
  return rules;
}

/** A pattern that takes a day but no time of day. */
function isDateOnly(pattern: unknown): boolean {
  return pattern instanceof RegExp && pattern.test('2026-01-15') && !pattern.test('2026-01-15T10:00:00Z');
}

/** Writes what the validators of one property check into its schema (or, with `each`, its items'). */
function describeRules(property: SchemaObject, rules: ValidationMetadata[]): void {
  if (property.$ref || property.allOf) {
    if (rules.some((rule) => rule.name === 'isOptional')) property.nullable = true;
    return;
  }
  for (const rule of rules) {
    const schema = rule.each && property.items && !property.items.$ref ? property.items : property;
    const [first] = rule.constraints ?? [];
    switch (rule.name) {
      case 'isOptional':
        // @IsOptional() lets null through as if the property were absent.
        property.nullable = true;
        break;
      case 'matches':
        if (first instanceof RegExp) schema.pattern ??= first.source;
        break;
      case 'isIn':
        if (Array.isArray(first)) schema.enum ??= first;
        break;
      case 'maxLength':
        schema.maxLength = first;
        break;
      case 'minLength':
        schema.minLength = first;
        break;
      case 'isNotEmpty':
        if (schema.type === 'string') schema.minLength = Math.max(schema.minLength ?? 0, 1);
        break;
      case 'min':
        schema.minimum = first;
        break;
      case 'max':
        schema.maximum = first;
        break;
      case 'isInt':
        schema.type = 'integer';
        break;
      case 'isNumber':
        if (typeof first?.maxDecimalPlaces === 'number') schema.multipleOf = 10 ** -first.maxDecimalPlaces;
        break;
      case 'isIso8601':
        schema.format = rules.some((other) => other.name === 'matches' && isDateOnly(other.constraints[0])) ? 'date' : 'date-time';
        break;
      case 'isUuid':
        schema.format = 'uuid';
        break;
      case 'arrayNotEmpty':
        property.minItems = Math.max(property.minItems ?? 0, 1);
        break;
      case 'arrayMinSize':
        property.minItems = first;
        break;
      case 'arrayMaxSize':
        property.maxItems = first;
        break;
      case 'arrayUnique':
        property.uniqueItems = true;
        break;
    }
  }
}

function referencedSchemas(schema: SchemaObject | undefined, document: OpenAPIObject, found: Set<string>): void {
  if (!schema) return;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (found.has(name)) return;
    found.add(name);
    referencedSchemas(document.components?.schemas?.[name] as SchemaObject | undefined, document, found);
  }
  (schema.allOf ?? []).forEach((part) => referencedSchemas(part, document, found));
  Object.values(schema.properties ?? {}).forEach((property) => referencedSchemas(property, document, found));
  referencedSchemas(schema.items, document, found);
}

/**
 * Makes the published OpenAPI document say what the validation pipe checks: each request DTO's
 * validators as schema constraints, no unknown properties (forbidNonWhitelisted), null allowed where
 * @IsOptional() allows it, and what each path parameter must look like. Clients, and the generated
 * bad-input tests, read the contract from here; derived from the validators, it cannot drift from them.
 */
export function publishValidation(document: OpenAPIObject): OpenAPIObject {
  const classes = validatedClasses();
  const requestSchemas = new Set<string>();
  for (const methods of Object.values(document.paths)) {
    for (const operation of Object.values(methods) as OperationObject[]) {
      if (typeof operation !== 'object' || !operation) continue;
      referencedSchemas(operation.requestBody?.content?.['application/json']?.schema, document, requestSchemas);
      const parameters = operation.parameters ?? [];
      for (const parameter of parameters.filter((p) => p.in === 'path')) {
        parameter.schema = { ...parameter.schema, ...PATH_PARAMETERS[parameter.name] };
      }
      describeQuery(parameters.filter((p) => p.in === 'query'), classes);
    }
  }
  for (const name of requestSchemas) {
    const schema = document.components?.schemas?.[name] as SchemaObject | undefined;
    const target = classes.get(name);
    if (!schema || !target) continue;
    schema.additionalProperties = false;
    const rules = rulesOf(target);
    for (const [property, propertySchema] of Object.entries(schema.properties ?? {})) {
      describeRules(propertySchema, rules.get(property) ?? []);
    }
  }
  return document;
}

/** Query DTOs are spread into parameters: their class is the one whose validated properties are exactly these. */
function describeQuery(parameters: ParameterObject[], classes: Map<string, DtoClass>): void {
  if (parameters.length === 0) return;
  const names = parameters.map((parameter) => parameter.name).sort().join(',');
  const matching = [...classes.values()].filter((target) => [...rulesOf(target).keys()].sort().join(',') === names);
  // Classes of the same properties (a query of just caseworkerId, a body of just caseworkerId) check them alike.
  for (const target of matching) {
    const rules = rulesOf(target);
    for (const parameter of parameters) {
      parameter.schema ??= { type: 'string' };
      describeRules(parameter.schema, rules.get(parameter.name) ?? []);
      delete parameter.schema.nullable;
    }
  }
}
