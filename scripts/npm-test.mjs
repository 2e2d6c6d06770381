#!/usr/bin/env node
// `npm test`: installs what is missing, provisions a Temporal dev server and PostgreSQL of its own
// (fresh each run, on ports beside the ones `npm start` uses), checks lint and types, builds the
// services and runs every test against that real stack.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled } from './lib/ensure-install.mjs';
import { mustRun, NX_ENV, run } from './lib/run.mjs';

const log = (message) => console.error(`[npm test] ${message}`);
ensureInstalled({ log });
const { dataDir, repoRoot, startPostgres, startTemporal } = await import('./lib/dev-stack.mjs');

const root = repoRoot();
const stateDir = path.join(dataDir(), 'test');
const resultsDir = path.join(root, 'test-results');
// Beside the ones `npm start` uses; a second checkout testing at the same time sets its own.
const TEST_PORTS = {
  temporal: Number(process.env.TEST_TEMPORAL_PORT ?? 17233),
  ui: Number(process.env.TEST_TEMPORAL_UI_PORT ?? 18233),
  postgres: Number(process.env.TEST_POSTGRES_PORT ?? 15432),
};
const stops = [];
let exitCode = 1;

async function stopAll() {
  for (const stop of stops.reverse()) {
    await stop().catch((error) => log(`stopping: ${error.message}`));
  }
  stops.length = 0;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => void stopAll().then(() => process.exit(130)));
}

try {
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });

  log('lint and types');
  await mustRun('nx project graph', 'npx', ['nx', 'show', 'projects'], { env: NX_ENV });
  await mustRun('lint', 'npx', ['eslint', '.', '--max-warnings=0'], { env: NX_ENV });
  await mustRun('type check', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);

  log('building the services');
  await mustRun('build', 'npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], { env: NX_ENV });

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    const temporal = await startTemporal({ port: TEST_PORTS.temporal, uiPort: TEST_PORTS.ui, dbFile: path.join(stateDir, 'temporal.db'), log });
    stops.push(temporal.stop);
    temporalAddress = temporal.address;
  }
  const postgres = await startPostgres({ port: TEST_PORTS.postgres, dataDir: path.join(stateDir, 'postgres'), log });
  stops.push(postgres.stop);

  log(`tests against Temporal ${temporalAddress} and PostgreSQL`);
  // A fresh key set every run: the current key, then an older one for the rotation tests.
  const { newPayloadKey } = await import('./lib/secrets.mjs');
  const payloadKeys = `${newPayloadKey('test-current')},${newPayloadKey('test-previous')}`;
  const testEnv = { ...process.env, TEMPORAL_ADDRESS: temporalAddress, DATABASE_URL: postgres.databaseUrl, PAYLOAD_ENCRYPTION_KEYS: payloadKeys };
  const jestCode = await run(
    'npx',
    ['jest', '-c', 'jest.config.cjs', '--maxWorkers=2', '--json', `--outputFile=${path.join(resultsDir, 'jest.json')}`],
    { env: testEnv },
  );
  const results = JSON.parse(readFileSync(path.join(resultsDir, 'jest.json'), 'utf8'));
  console.log(`\ntests: ${results.numPassedTests} passed, ${results.numFailedTests} failed`);
  exitCode = jestCode === 0 && results.numFailedTests === 0 && results.numPassedTests > 0 ? 0 : 1;
} catch (error) {
  log(error.message);
} finally {
  await stopAll();
}
process.exit(exitCode);
