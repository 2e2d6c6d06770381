import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { handoffWorkflowId, PROCESSES, type Process } from '@handoffs/contracts';
import { isEncrypted, type PayloadEncryptionCodec } from '@handoffs/temporal';
import { replayDataConverter } from './replay-key';

type History = temporal.api.history.v1.IHistory;

/** Recorded histories live in test/replay/<process>/<branch>.json, in the JSON of `temporal workflow show -o json`. */
export const HISTORIES_DIR = __dirname;

export interface RecordedHistory {
  process: Process;
  branch: string;
  file: string;
}

export function historyFile(process: Process, branch: string): string {
  return path.join(HISTORIES_DIR, process, `${branch}.json`);
}

/** Every committed history, by process and branch (file name). */
export function recordedHistories(): RecordedHistory[] {
  return PROCESSES.flatMap((process) => {
    const dir = path.join(HISTORIES_DIR, process);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => ({ process, branch: name.slice(0, -'.json'.length), file: path.join(dir, name) }));
  });
}

export function loadHistory(file: string): History {
  return historyFromJSON(JSON.parse(readFileSync(file, 'utf8')));
}

/** The workflow type that runs a process: `status-clarification` → `statusClarification`. */
export function workflowTypeOf(process: Process): string {
  return process.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function startedEvent(history: History) {
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new Error('The history does not begin with WorkflowExecutionStarted');
  return started;
}

export function startedWorkflowType(history: History): string | undefined {
  return startedEvent(history).workflowType?.name ?? undefined;
}

/**
 * The workflow ID the history ran under (the workflow passes it to its activities): the server records
 * it in the start event; else it follows from the process and the `CaseRef` the workflow set.
 */
export function workflowIdOf(history: History, process: Process): string {
  const recorded = startedEvent(history).workflowId;
  if (recorded) return recorded;
  for (const event of history.events ?? []) {
    const caseRef = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.CaseRef?.data;
    if (caseRef) return handoffWorkflowId(process, JSON.parse(Buffer.from(caseRef).toString('utf8')));
  }
  throw new Error('The history names no workflow ID and no CaseRef');
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonPayload = { metadata: Record<string, string>; data?: string };

function isJsonPayload(value: { [key: string]: Json }): value is { [key: string]: Json } & JsonPayload {
  const { metadata, ...rest } = value;
  return (
    typeof metadata === 'object' &&
    metadata !== null &&
    !Array.isArray(metadata) &&
    Object.values(metadata).every((entry) => typeof entry === 'string') &&
    Object.keys(rest).every((key) => key === 'data' || key === 'externalPayloads')
  );
}

/**
 * A history's JSON with every encrypted payload decrypted by `from` and encrypted again by `to`.
 * Payloads that were never encrypted (search attributes) stay as they are; the events are untouched.
 */
export function reencryptPayloads<T extends Json>(json: T, from: PayloadEncryptionCodec, to: PayloadEncryptionCodec): T {
  if (Array.isArray(json)) return json.map((item) => reencryptPayloads(item, from, to)) as T;
  if (json === null || typeof json !== 'object') return json;
  if (isJsonPayload(json)) {
    const payload = {
      metadata: Object.fromEntries(Object.entries(json.metadata).map(([key, value]) => [key, Buffer.from(value, 'base64')])),
      data: Buffer.from(json.data ?? '', 'base64'),
    };
    if (!isEncrypted(payload)) return json;
    const sealed = to.encrypt(from.decrypt(payload));
    return {
      metadata: Object.fromEntries(Object.entries(sealed.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value as Uint8Array).toString('base64')])),
      data: Buffer.from(sealed.data ?? new Uint8Array()).toString('base64'),
    } as unknown as T;
  }
  return Object.fromEntries(Object.entries(json).map(([key, value]) => [key, reencryptPayloads(value, from, to)])) as T;
}

/** Writes a history as test/replay/<process>/<branch>.json (indented, as the Temporal CLI prints it); returns the file. */
export function writeHistory(process: Process, branch: string, history: History, reencrypt?: { from: PayloadEncryptionCodec; to: PayloadEncryptionCodec }): string {
  let json = JSON.parse(historyToJSON(history)) as Json;
  if (reencrypt) json = reencryptPayloads(json, reencrypt.from, reencrypt.to);
  const file = historyFile(process, branch);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  return file;
}

/**
 * Replays recorded histories against a workflow bundle with one replay worker, the services' data
 * converter under the replay key; the result of each, in order: undefined when it replays cleanly,
 * else the error (a DeterminismViolationError when the code no longer fits the history).
 */
export async function replayHistories(workflowBundle: { code: string }, recorded: readonly RecordedHistory[]): Promise<(Error | undefined)[]> {
  const histories = recorded.map(({ process, file }) => {
    const history = loadHistory(file);
    return { history, workflowId: workflowIdOf(history, process) };
  });
  const results: (Error | undefined)[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle, dataConverter: replayDataConverter() }, histories)) {
    results.push(result.error);
  }
  return results;
}
