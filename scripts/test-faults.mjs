#!/usr/bin/env node
// `npm run test:faults`: only the fault phase of `npm test`: builds the services, then runs test/faults,
// which brings its own Temporal dev server and PostgreSQL (fresh each run) and breaks each part in turn.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled } from './lib/ensure-install.mjs';
import { mustRun, NX_ENV } from './lib/run.mjs';

const log = (message) => console.error(`[npm run test:faults] ${message}`);
ensureInstalled({ log });
const { repoRoot } = await import('./lib/paths.mjs');
const { runFaultTests } = await import('./lib/fault-tests.mjs');
const { newPayloadKey } = await import('./lib/secrets.mjs');

let exitCode = 1;
try {
  const resultsDir = path.join(repoRoot(), 'test-results');
  mkdirSync(resultsDir, { recursive: true });
  log('building the services');
  await mustRun('build', 'npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], { env: NX_ENV });
  const env = { ...process.env, PAYLOAD_ENCRYPTION_KEYS: `${newPayloadKey('test-current')},${newPayloadKey('test-previous')}` };
  const { ok, passed, failed } = await runFaultTests({ env, resultsDir, log });
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
  exitCode = ok && passed > 0 ? 0 : 1;
} catch (error) {
  log(error.message);
}
process.exit(exitCode);
