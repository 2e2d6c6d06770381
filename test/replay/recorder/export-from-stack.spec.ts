import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { HandoffStage, PROCESSES, type Process } from '@handoffs/contracts';
import { PayloadEncryptionCodec, PayloadKeySet } from '@handoffs/temporal';
import { HISTORIES_DIR, historyFile, writeHistory } from '../histories';
import { replayCodec } from '../replay-key';

/** At most this many workflows per export: a query that matches more is too wide. */
const MOST = 50;

function option(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

/** `<caseref>-<stage>`, lower case: e.g. `stack-demo-2026-0004-abh-asked`. */
function branchName(workflowId: string, stage: string | undefined): string {
  const caseRef = workflowId.slice(workflowId.indexOf(':') + 1);
  return ['stack', caseRef, stage ?? 'closed'].join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
}

/**
 * Exports the histories of handoffs from a running stack (by default the one `npm start` runs) into
 * test/replay/<process>/<name>.json: each encrypted payload is decrypted with the stack's keys and
 * encrypted again with the replay key; the events stay as the server recorded them. Run by
 * `npm run record:histories -- --from-stack …` (scripts/record-histories.mjs), which sets:
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, PAYLOAD_ENCRYPTION_KEYS (the stack's), and EXPORT_WORKFLOW_IDS
 * (comma-separated) or EXPORT_QUERY (a visibility query), EXPORT_NAME (for one workflow), and
 * EXPORT_DATA_IS_FICTITIOUS=1: the replay key is public, so only test or demo data may be exported;
 * RECORD_OVERWRITE=1 to replace a history of the same name.
 */
describe('exporting histories from a running stack', () => {
  it('writes each history, re-encrypted with the replay key', async () => {
    if (option('EXPORT_DATA_IS_FICTITIOUS') !== '1') {
      throw new Error('The replay key is public: export only from a stack that holds test or demo data, and say so (--data-is-fictitious).');
    }
    const ids = (option('EXPORT_WORKFLOW_IDS') ?? '').split(',').map((id) => id.trim()).filter(Boolean);
    const query = option('EXPORT_QUERY');
    if ((ids.length === 0) === !query) throw new Error('Name the workflows: EXPORT_WORKFLOW_IDS or EXPORT_QUERY, one of the two.');
    const name = option('EXPORT_NAME');
    const from = new PayloadEncryptionCodec(PayloadKeySet.from(option('PAYLOAD_ENCRYPTION_KEYS')));
    const connection = await Connection.connect({ address: option('TEMPORAL_ADDRESS') ?? '127.0.0.1:7233' });
    try {
      const client = new Client({ connection, namespace: option('TEMPORAL_NAMESPACE') ?? 'default' });
      if (query) {
        for await (const workflow of client.workflow.list({ query })) {
          if (ids.length === MOST) throw new Error(`The query matches more than ${MOST} workflows: narrow it.`);
          ids.push(workflow.workflowId);
        }
      }
      if (ids.length === 0) throw new Error(`No workflow matches ${query}`);
      if (name && ids.length > 1) throw new Error('EXPORT_NAME names one history: give one workflow ID.');
      for (const workflowId of ids) {
        const process = workflowId.slice(0, workflowId.indexOf(':')) as Process;
        if (!PROCESSES.includes(process)) throw new Error(`${workflowId} is not a handoff: its ID does not begin with a process (${PROCESSES.join(', ')})`);
        const handle = client.workflow.getHandle(workflowId);
        const { typedSearchAttributes } = await handle.describe();
        const history = await handle.fetchHistory();
        const branch = name ?? branchName(workflowId, typedSearchAttributes.get(HandoffStage));
        if (existsSync(historyFile(process, branch)) && option('RECORD_OVERWRITE') !== '1') {
          throw new Error(`${path.relative(HISTORIES_DIR, historyFile(process, branch))} exists: give another --name, or --overwrite`);
        }
        const file = writeHistory(process, branch, history, { from, to: replayCodec() });
        console.log(`${workflowId}: ${history.events?.length} events → ${path.relative(HISTORIES_DIR, file)}`);
      }
    } finally {
      await connection.close();
    }
  });
});
