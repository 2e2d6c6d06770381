import { existsSync } from 'node:fs';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { DOMAINS, taskQueueOf, type Domain } from '@handoffs/contracts';
import { bundleWorkflows, createTestNamespace, eventually, testTemporalAddress } from '@handoffs/testing';
import { historyFile, writeHistory } from '../histories';
import { replayDataConverter } from '../replay-key';
import { fakeDomains } from './fake-domains';
import type { Scenario } from './scenario';
import { SCENARIOS } from './scenarios';

/** The domains whose workers host workflows: the owners of the four processes. */
const WORKFLOW_HOSTS: readonly Domain[] = ['immigration', 'job-centre'];

/** `RECORD_SCENARIOS=deportation,status-clarification/withdrawn` picks processes or single branches; all by default. */
function selected(): Scenario[] {
  const wanted = (process.env.RECORD_SCENARIOS ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  const chosen = SCENARIOS.filter((s) => wanted.length === 0 || wanted.includes(s.process) || wanted.includes(`${s.process}/${s.branch}`));
  if (chosen.length === 0) throw new Error(`RECORD_SCENARIOS names no scenario: ${wanted.join(', ')}`);
  return chosen;
}

/** A running workflow has no step under way and no task to process: it waits, and its history ends there. */
async function idle(handle: WorkflowHandle): Promise<void> {
  await eventually(async () => {
    const { raw } = await handle.describe();
    return (raw.pendingActivities?.length ?? 0) === 0 && !raw.pendingWorkflowTask ? true : undefined;
  }, 30000, 'the workflow to wait');
}

/**
 * Records the history of each branch scenario: the workflow code runs on a real Temporal server with
 * the domains' activities faked, and its history (completed, or taken while it still runs) is written
 * to test/replay/<process>/<branch>.json, encrypted with the replay key. A branch whose history is
 * committed is kept as it is unless RECORD_OVERWRITE=1. Run by `npm run record:histories`.
 */
describe('recording the histories of every branch', () => {
  const dataConverter = replayDataConverter();
  let namespace: string;
  let connection: Connection;
  let workerConnection: NativeConnection;
  let client: Client;
  let workflowBundle: { code: string };

  beforeAll(async () => {
    namespace = await createTestNamespace('replay-recording');
    connection = await Connection.connect({ address: testTemporalAddress() });
    workerConnection = await NativeConnection.connect({ address: testTemporalAddress() });
    client = new Client({ connection, namespace, dataConverter });
    workflowBundle = await bundleWorkflows();
  });

  afterAll(async () => {
    await workerConnection?.close();
    await connection?.close();
  });

  it.each(selected().map((scenario) => [`${scenario.process}/${scenario.branch}`, scenario] as const))('%s', async (name, scenario) => {
    if (existsSync(historyFile(scenario.process, scenario.branch)) && process.env.RECORD_OVERWRITE !== '1') {
      // A committed history stands for workflows that started under the code that recorded it.
      console.log(`kept ${name}.json (RECORD_OVERWRITE=1 records it again)`);
      return;
    }
    const domains = fakeDomains(scenario.fakes);
    const workers: { worker: Worker; running: Promise<void> }[] = [];
    const bringUp = async (domain: Domain) => {
      const worker = await Worker.create({
        connection: workerConnection,
        namespace,
        taskQueue: taskQueueOf(domain),
        dataConverter,
        activities: domains.activities[domain],
        ...(WORKFLOW_HOSTS.includes(domain) ? { workflowBundle } : {}),
      });
      workers.push({ worker, running: worker.run() });
    };
    try {
      for (const domain of DOMAINS.filter((d) => !scenario.down?.includes(d))) {
        await bringUp(domain);
      }
      const handle = await scenario.run({ client, domains, bringUp });
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') {
        await idle(handle);
      }
      const history = await handle.fetchHistory();
      if (status.name === 'RUNNING') {
        await handle.terminate('history recorded while it runs');
      }
      writeHistory(scenario.process, scenario.branch, history);
      console.log(`recorded ${name}.json: ${history.events?.length} events, ${status.name === 'RUNNING' ? 'taken while running' : 'completed'}`);
    } finally {
      for (const { worker } of workers) worker.shutdown();
      await Promise.all(workers.map(({ running }) => running));
    }
  });
});
