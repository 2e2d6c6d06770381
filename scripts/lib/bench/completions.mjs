// When handoffs completed, as the Temporal server recorded it: the close time in its visibility
// store. Read with the raw gRPC API so that no payload (ours are encrypted) has to be decoded.
import { setTimeout as sleep } from 'node:timers/promises';

const COMPLETED = 2; // WORKFLOW_EXECUTION_STATUS_COMPLETED

/**
 * @param {import('@temporalio/client').Connection} connection
 * @param {string} namespace
 * @param {string} query a visibility query
 */
export async function countWorkflows(connection, namespace, query) {
  const { count } = await connection.workflowService.countWorkflowExecutions({ namespace, query });
  return Number(count ?? 0);
}

/**
 * Waits until no workflow of `workflowType` runs any more in `namespace`, or `capMs` has passed.
 * @returns {Promise<{ drained: boolean, waitedMs: number, stillRunning: number }>}
 */
export async function drain(connection, namespace, workflowType, capMs) {
  const started = Date.now();
  const query = `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Running'`;
  for (;;) {
    const running = await countWorkflows(connection, namespace, query);
    if (running === 0) return { drained: true, waitedMs: Date.now() - started, stillRunning: 0 };
    if (Date.now() - started > capMs) return { drained: false, waitedMs: Date.now() - started, stillRunning: running };
    await sleep(250);
  }
}

/**
 * The close times of the workflows of `workflowType` started since `since` (ms since the epoch):
 * workflow ID → close time (ms since the epoch) of each one that completed, and how many closed otherwise.
 * @returns {Promise<{ closedAt: Map<string, number>, failedToComplete: number }>}
 */
export async function closeTimes(connection, namespace, workflowType, since) {
  const query = `WorkflowType = '${workflowType}' AND ExecutionStatus != 'Running' AND StartTime >= '${new Date(since - 1000).toISOString()}'`;
  const closedAt = new Map();
  let failedToComplete = 0;
  let nextPageToken;
  do {
    const page = await connection.workflowService.listWorkflowExecutions({ namespace, query, pageSize: 1000, nextPageToken });
    for (const execution of page.executions ?? []) {
      if (execution.status !== COMPLETED) {
        failedToComplete += 1;
        continue;
      }
      const { seconds, nanos } = execution.closeTime;
      closedAt.set(execution.execution.workflowId, Number(seconds) * 1000 + (nanos ?? 0) / 1e6);
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return { closedAt, failedToComplete };
}
