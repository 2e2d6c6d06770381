#!/usr/bin/env node
// `npm run record:histories`: records the workflow histories that `npm test` replays (test/replay/).
//
//   npm run record:histories                          every branch scenario whose history is not committed yet
//   npm run record:histories -- deportation status-clarification/withdrawn
//                                                     only these processes or branches
//   npm run record:histories -- --overwrite …         record again what is committed (see below)
//   npm run record:histories -- --from-stack --data-is-fictitious --workflow-id <id> [--name <branch>]
//   npm run record:histories -- --from-stack --data-is-fictitious --query "<visibility query>"
//                                                     histories of handoffs on a running stack
//
// Scenarios run the real workflow code on a Temporal dev server of their own (or TEMPORAL_ADDRESS),
// with the domains' activities faked, and write test/replay/<process>/<branch>.json encrypted with the
// replay key (test/replay/replay-key.ts). --from-stack takes histories from a running stack (the one
// `npm start` runs, unless TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and PAYLOAD_ENCRYPTION_KEYS say
// otherwise) and encrypts them again with the replay key. That key is public: export only test or demo
// data, never a real person's. Either way the replay test runs afterwards on what was written.
//
// A committed history stands for the workflows that started under the code that recorded it and may
// still be running: keep it, and record a changed branch under a new name. --overwrite only once no
// such workflow is left (docs/development.md, "Changing a workflow safely").
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureInstalled } from './lib/ensure-install.mjs';
import { run } from './lib/run.mjs';

const log = (message) => console.error(`[record:histories] ${message}`);
const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'from-stack': { type: 'boolean' },
    'data-is-fictitious': { type: 'boolean' },
    overwrite: { type: 'boolean' },
    'workflow-id': { type: 'string', multiple: true },
    query: { type: 'string' },
    name: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (options.help) {
  const lines = readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1);
  console.log(lines.slice(0, lines.findIndex((line) => !line.startsWith('//'))).map((line) => line.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}

ensureInstalled({ log });
const { dataDir, repoRoot } = await import('./lib/paths.mjs');
const { startTemporal } = await import('./lib/temporal-dev-server.mjs');
const root = repoRoot();
const jest = (config, pattern, env) => run('npx', ['jest', '-c', path.join('test', 'replay', ...config), pattern], { env, cwd: root });
const overwrite = options.overwrite ? { RECORD_OVERWRITE: '1' } : {};

let exitCode = 1;
let stopTemporal = async () => {};
try {
  if (options['from-stack']) {
    if (!options['data-is-fictitious']) {
      throw new Error(
        'The replay key is committed, so a history encrypted with it is as good as plain text. Export only from a stack that holds ' +
          "test or demo data (the demo's people are fictitious), and confirm it with --data-is-fictitious.",
      );
    }
    const keysFile = path.join(dataDir(), 'payload-encryption-keys');
    const payloadKeys = process.env.PAYLOAD_ENCRYPTION_KEYS ?? (existsSync(keysFile) ? readFileSync(keysFile, 'utf8').trim() : undefined);
    if (!payloadKeys) throw new Error(`The stack's payload keys: set PAYLOAD_ENCRYPTION_KEYS, or run this where \`npm start\` keeps them (${keysFile})`);
    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE || 'default',
      PAYLOAD_ENCRYPTION_KEYS: payloadKeys,
      EXPORT_DATA_IS_FICTITIOUS: '1',
      EXPORT_WORKFLOW_IDS: (options['workflow-id'] ?? []).join(','),
      EXPORT_QUERY: options.query ?? '',
      EXPORT_NAME: options.name ?? '',
      ...overwrite,
    };
    log(`exporting from ${env.TEMPORAL_ADDRESS}, namespace ${env.TEMPORAL_NAMESPACE}`);
    if ((await jest(['recorder', 'jest.config.cjs'], 'export-from-stack', env)) !== 0) throw new Error('the export failed');
  } else {
    let temporalAddress = process.env.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      const stateDir = path.join(dataDir(), 'record-histories');
      rmSync(stateDir, { recursive: true, force: true });
      const temporal = await startTemporal({
        port: Number(process.env.RECORD_TEMPORAL_PORT ?? 27233),
        uiPort: Number(process.env.RECORD_TEMPORAL_UI_PORT ?? 28233),
        dbFile: path.join(stateDir, 'temporal.db'),
        log,
      });
      stopTemporal = temporal.stop;
      temporalAddress = temporal.address;
    }
    log(`recording ${positionals.length ? positionals.join(', ') : 'every branch scenario'} on ${temporalAddress}`);
    const env = { ...process.env, TEMPORAL_ADDRESS: temporalAddress, RECORD_SCENARIOS: positionals.join(','), ...overwrite };
    if ((await jest(['recorder', 'jest.config.cjs'], 'record-scenarios', env)) !== 0) throw new Error('recording failed');
  }
  log('replaying every recorded history against the current workflow code');
  if ((await jest(['jest.config.cjs'], 'replay.spec', process.env)) !== 0) throw new Error('the replay test fails on what was recorded');
  log('done: review and commit test/replay/');
  exitCode = 0;
} catch (error) {
  log(error.message);
} finally {
  await stopTemporal();
}
process.exit(exitCode);
