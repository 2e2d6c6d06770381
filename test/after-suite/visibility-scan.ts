import { Client, Connection, type WorkflowExecutionInfo } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { testDataConverter } from '@handoffs/testing';
import { findPersonalData, redact, type Finding, type Needle } from './personal-data';

/**
 * The one place where the scan decodes payloads (static summaries and details, memo, query answers):
 * the services' data converter with the run's keys, so the scan reads through the codec what a
 * supervisor logged in to the codec server would see (unencrypted payloads pass through unchanged).
 */
export function scanDataConverter(): DataConverter {
  return testDataConverter();
}

/** The fields of a workflow that Temporal keeps unencrypted, or shows decoded to whoever opens the UI. */
export const SCANNED_FIELDS = ['workflow ID', 'search attribute', 'memo key', 'static summary', 'static details', 'current details'] as const;
export type ScannedField = (typeof SCANNED_FIELDS)[number];

export interface ScanReport {
  namespaces: { name: string; workflows: number; counted: number }[];
  /** Workflow executions scanned (each run of each workflow). */
  workflows: number;
  /** How many values of each field were read: a field never read was never checked. */
  valuesRead: Record<ScannedField, number>;
  /** Workflows that never completed a workflow task: no code of theirs ran, so they have no current details. */
  neverRan: number;
  findings: Finding[];
  /** What could not be read, and why: a value not read is a value not checked. */
  unreadable: string[];
}

/** The server's own namespace holds its system workflows, none of ours. */
const SYSTEM_NAMESPACE = 'temporal-system';
/**
 * A workflow with a pending workflow task answers a query only after that task: one that sat on the
 * server while no worker polled can take a long poll (a minute) to reach the scan's worker.
 */
const QUERY_TIMEOUT_MS = 90_000;
const PARALLEL_READS = 8;
const PARALLEL_QUERIES = 32;

export async function listNamespaces(connection: Connection): Promise<string[]> {
  const names: string[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await connection.workflowService.listNamespaces({ pageSize: 100, nextPageToken });
    for (const { namespaceInfo } of page.namespaces ?? []) {
      if (!namespaceInfo?.name || namespaceInfo.name === SYSTEM_NAMESPACE) continue;
      if (namespaceInfo.state === temporal.api.enums.v1.NamespaceState.NAMESPACE_STATE_DELETED) continue;
      names.push(namespaceInfo.name);
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return names.sort();
}

async function inBatches<T>(items: readonly T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    await Promise.all(items.slice(start, start + size).map(each));
  }
}

function text(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(text).join(' ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Reads every workflow of every namespace on the server (or of `only` those namespaces) and looks for
 * the personal values in its ID, search attributes, memo keys, static summary and details, and current
 * details. Current details live only in the workflow's memory: they are read with the
 * `__temporal_workflow_metadata` query (as the Web UI does), answered by a worker of the scan's own on
 * the workflow's task queue, which replays the workflow's history from `workflowBundle` (and, for a
 * workflow with a task pending, runs that task as any worker would).
 */
export async function scanVisibility(options: {
  address: string;
  needles: readonly Needle[];
  workflowBundle: { code: string };
  only?: string[];
}): Promise<ScanReport> {
  const connection = await Connection.connect({ address: options.address });
  const workerConnection = await NativeConnection.connect({ address: options.address });
  const dataConverter = scanDataConverter();
  const report: ScanReport = {
    namespaces: [],
    workflows: 0,
    neverRan: 0,
    valuesRead: Object.fromEntries(SCANNED_FIELDS.map((field) => [field, 0])) as Record<ScannedField, number>,
    findings: [],
    unreadable: [],
  };
  try {
    for (const namespace of options.only ?? (await listNamespaces(connection))) {
      const client = new Client({ connection, namespace, dataConverter });
      const unreadable = (workflowId: string, what: string, error: unknown) => {
        const { message, cause } = error as Error & { cause?: Error };
        report.unreadable.push(redact(`${namespace} / ${workflowId}: ${what} (${message}${cause ? `: ${cause.message}` : ''})`, options.needles));
      };
      const check = (workflowId: string, field: ScannedField, label: string, value: unknown) => {
        if (value === undefined || value === null) return;
        report.valuesRead[field] += 1;
        report.findings.push(...findPersonalData(text(value), { namespace, workflowId, field: label }, options.needles));
      };

      const executions: WorkflowExecutionInfo[] = [];
      for await (const execution of client.workflow.list()) executions.push(execution);
      const { count } = await client.workflow.count();
      report.namespaces.push({ name: namespace, workflows: executions.length, counted: count });
      report.workflows += executions.length;

      const ran: WorkflowExecutionInfo[] = [];
      await inBatches(executions, PARALLEL_READS, async (execution) => {
        const { workflowId, runId, typedSearchAttributes, memo } = execution;
        check(workflowId, 'workflow ID', 'workflow ID', workflowId);
        for (const { key, value } of typedSearchAttributes.getAll()) check(workflowId, 'search attribute', `search attribute ${key.name}`, value);
        // The keys are plain; memo values are payloads, encrypted once the codec is in place.
        for (const key of Object.keys(memo ?? {})) check(workflowId, 'memo key', 'memo key', key);
        const handle = client.workflow.getHandle(workflowId, runId);
        try {
          const description = await handle.describe();
          check(workflowId, 'static summary', 'static summary', await description.staticSummary());
          check(workflowId, 'static details', 'static details', await description.staticDetails());
          // Some tests start workflows no worker ever runs (e.g. with no arguments, on a queue nobody polls): nothing to ask them.
          const { events } = await handle.fetchHistory();
          if (events?.some(({ eventType }) => eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)) ran.push(execution);
          else report.neverRan += 1;
        } catch (error) {
          unreadable(workflowId, 'describe or history failed', error);
        }
      });

      const byTaskQueue = new Map<string, WorkflowExecutionInfo[]>();
      for (const execution of ran) byTaskQueue.set(execution.taskQueue, [...(byTaskQueue.get(execution.taskQueue) ?? []), execution]);
      for (const [taskQueue, onQueue] of byTaskQueue) {
        // No cache: each workflow is replayed once for its query, and every poller polls the queue itself (none a sticky queue).
        const worker = await Worker.create({
          connection: workerConnection,
          namespace,
          taskQueue,
          workflowBundle: options.workflowBundle,
          dataConverter,
          maxCachedWorkflows: 0,
        });
        await worker.runUntil(
          inBatches(onQueue, PARALLEL_QUERIES, async ({ workflowId, runId }) => {
            try {
              const metadata = await connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () =>
                client.workflow.getHandle(workflowId, runId).query<{ currentDetails?: string }>('__temporal_workflow_metadata'),
              );
              // An empty string is what a workflow that never set its details answers: read, nothing to check.
              check(workflowId, 'current details', 'current details', metadata.currentDetails ?? '');
            } catch (error) {
              unreadable(workflowId, 'current details not readable', error);
            }
          }),
        );
      }
    }
  } finally {
    await workerConnection.close();
    await connection.close();
  }
  return report;
}
