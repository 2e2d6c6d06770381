import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import searchAttributes from '@handoffs/contracts/search-attributes.json';
import { handoffDataConverter, PayloadKeySet } from '@handoffs/temporal';

/** A Temporal server and PostgreSQL to test against, and the payload keys the services get. */
export interface TestServers {
  temporalAddress: string;
  databaseUrl: string;
  payloadKeys: string;
}

/**
 * The real Temporal server and PostgreSQL the tests run against, and the payload keys the services
 * get: `npm test` starts both servers and sets all three (the keys: a current one, then an older one).
 */
export function testStack(): TestServers {
  const temporalAddress = process.env.TEMPORAL_ADDRESS;
  const databaseUrl = process.env.DATABASE_URL;
  const payloadKeys = process.env.PAYLOAD_ENCRYPTION_KEYS;
  if (!temporalAddress || !databaseUrl || !payloadKeys) {
    throw new Error(
      'These tests need a real Temporal server and PostgreSQL, and payload keys: run them through `npm test`, ' +
        'or set TEMPORAL_ADDRESS, DATABASE_URL and PAYLOAD_ENCRYPTION_KEYS (see docs/development.md)',
    );
  }
  return { temporalAddress, databaseUrl, payloadKeys };
}

/** The Temporal server the tests run against, for tests that need nothing else (`npm test` sets it). */
export function testTemporalAddress(): string {
  const temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    throw new Error('These tests need a real Temporal server: run them through `npm test`, or set TEMPORAL_ADDRESS (see docs/development.md)');
  }
  return temporalAddress;
}

/** The services' data converter, for test clients and workers: encrypts with the test key set, or with `keys`. */
export function testDataConverter(keys = testStack().payloadKeys): DataConverter {
  return handoffDataConverter(PayloadKeySet.from(keys));
}

export function uniqueSuffix(): string {
  return randomUUID().slice(0, 8);
}

const INDEXED_VALUE_TYPES: Record<string, number> = { Keyword: 2, Int: 3, Double: 4, Bool: 5, Datetime: 6, Text: 1, KeywordList: 7 };

/**
 * A namespace of its own for one test suite, with the supervisor search attributes registered,
 * so that its workers never take tasks from another suite's (or the demo's) task queues.
 */
export async function createTestNamespace(prefix: string, temporalAddress = testTemporalAddress()): Promise<string> {
  const namespace = `test-${prefix}-${uniqueSuffix()}`;
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(searchAttributes.map((a) => [a.name, INDEXED_VALUE_TYPES[a.type]])),
    });
    for (let attempt = 0; ; attempt++) {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        break;
      } catch (error) {
        if (attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await connection.close();
  }
  return namespace;
}

/** A fresh database of its own for one test suite, on the test PostgreSQL server (or the one `serverUrl` names). */
export async function createTestDatabase(prefix: string, serverUrl = testStack().databaseUrl): Promise<string> {
  const admin = new PgClient({ connectionString: serverUrl });
  const name = `test_${prefix.replace(/\W/g, '_')}_${uniqueSuffix()}`;
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Polls until `probe` returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}
