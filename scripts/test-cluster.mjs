#!/usr/bin/env node
// `npm run test:cluster`: only the cluster phase of `npm test`: builds the services, then runs the
// end-to-end tests in CLUSTER_SPECS on the full Temporal server on PostgreSQL, fresh each run.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled } from './lib/ensure-install.mjs';
import { mustRun, NX_ENV } from './lib/run.mjs';

const log = (message) => console.error(`[npm run test:cluster] ${message}`);
ensureInstalled({ log });
const { repoRoot } = await import('./lib/paths.mjs');
const { runClusterTests } = await import('./lib/cluster-tests.mjs');
const { newPayloadKey } = await import('./lib/secrets.mjs');

const stops = [];
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    process.exit(130);
  });
}

let exitCode = 1;
try {
  const resultsDir = path.join(repoRoot(), 'test-results');
  mkdirSync(resultsDir, { recursive: true });
  log('building the services');
  await mustRun('build', 'npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], { env: NX_ENV });
  const env = { ...process.env, PAYLOAD_ENCRYPTION_KEYS: `${newPayloadKey('test-current')},${newPayloadKey('test-previous')}` };
  const { ok, passed, failed } = await runClusterTests({ env, resultsDir, stops, log });
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
  exitCode = ok && passed > 0 ? 0 : 1;
} catch (error) {
  log(error.message);
}
process.exit(exitCode);
