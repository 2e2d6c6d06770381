import type { Payload } from '@temporalio/common';

// Temporal's remote codec protocol (what the Web UI and the CLI send to a codec server):
// POST .../decode or .../encode with {"payloads": [...]} as proto3 JSON, the namespace in X-Namespace.

/** A bad field of a codec request, named like `payloads[2].data` (the shape of a problem+json `errors` entry). */
export interface CodecFieldProblem {
  field: string;
  problems: string[];
}

/** A payload as the codec protocol carries it: proto3 JSON, bytes in base64. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export const MAX_PAYLOADS = 1000;
// proto3 JSON accepts standard and URL-safe base64, with or without padding.
const BASE64_PATTERN = /^[A-Za-z0-9+/_-]*={0,2}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bytes(value: unknown, field: string, problems: CodecFieldProblem[]): Uint8Array | undefined {
  if (typeof value !== 'string' || !BASE64_PATTERN.test(value)) {
    problems.push({ field, problems: [`${field} must be base64`] });
    return undefined;
  }
  return Buffer.from(value, 'base64');
}

/** The payloads of a `{"payloads": [...]}` body, or a problem for each bad field (named like `payloads[2].data`). */
export function payloadsFromJson(body: unknown): { payloads: Payload[]; problems: CodecFieldProblem[] } {
  const problems: CodecFieldProblem[] = [];
  const list = isRecord(body) ? body.payloads : undefined;
  if (!Array.isArray(list)) {
    return { payloads: [], problems: [{ field: 'payloads', problems: ['payloads must be an array of {"metadata": {…}, "data": "<base64>"}'] }] };
  }
  if (list.length > MAX_PAYLOADS) {
    return { payloads: [], problems: [{ field: 'payloads', problems: [`payloads must hold at most ${MAX_PAYLOADS} payloads`] }] };
  }
  const payloads = list.map((item, index): Payload => {
    const field = `payloads[${index}]`;
    if (!isRecord(item)) {
      problems.push({ field, problems: [`${field} must be an object`] });
      return {};
    }
    const unknown = Object.keys(item).filter((key) => key !== 'metadata' && key !== 'data');
    if (unknown.length > 0) problems.push({ field, problems: unknown.map((key) => `${field}.${key} is not a payload field`) });
    let metadata: Record<string, Uint8Array> | undefined;
    if (item.metadata !== undefined && item.metadata !== null) {
      if (isRecord(item.metadata)) {
        metadata = Object.fromEntries(
          Object.entries(item.metadata).map(([key, value]) => [key, bytes(value, `${field}.metadata.${key}`, problems) ?? new Uint8Array()]),
        );
      } else {
        problems.push({ field: `${field}.metadata`, problems: [`${field}.metadata must be an object of base64 values`] });
      }
    }
    const data = item.data === undefined || item.data === null ? undefined : bytes(item.data, `${field}.data`, problems);
    return { metadata, data };
  });
  return { payloads, problems };
}

export function payloadToJson({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
    ...(data && data.length > 0 ? { data: Buffer.from(data).toString('base64') } : {}),
  };
}

export function payloadsToJson(payloads: Payload[]): { payloads: JsonPayload[] } {
  return { payloads: payloads.map(payloadToJson) };
}
