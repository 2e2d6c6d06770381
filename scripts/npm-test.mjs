#!/usr/bin/env node
// `npm test`: installs what is missing, provisions a Temporal dev server, PostgreSQL and the identity
// provider (Keycloak) of its own (fresh each run, on ports beside the ones `npm start` uses), checks
// lint and types, builds the services and runs every test against that real stack; then, once every other test has left its
// workflows on the server, the after-suite (the personal-data scan) against the same server; last,
// the end-to-end tests of some processes again on the cluster shape (scripts/lib/cluster-tests.mjs);
// and the fault tests, on servers of their own that they restart (scripts/lib/fault-tests.mjs).
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureDebianTool } from './lib/debian-tools.mjs';
import { ensureInstalled } from './lib/ensure-install.mjs';
import { mustRun, NX_ENV, runJest as runJestWith } from './lib/run.mjs';

const log = (message) => console.error(`[npm test] ${message}`);
ensureInstalled({ log });
const { dataDir, repoRoot } = await import('./lib/paths.mjs');
const { startPostgres } = await import('./lib/postgres.mjs');
const { startTemporal } = await import('./lib/temporal-dev-server.mjs');
const { startKeycloak } = await import('./lib/keycloak.mjs');

const root = repoRoot();
const stateDir = path.join(dataDir(), 'test');
const resultsDir = path.join(root, 'test-results');
// Beside the ones `npm start` uses; a second checkout testing at the same time sets its own.
const TEST_PORTS = {
  temporal: Number(process.env.TEST_TEMPORAL_PORT ?? 17233),
  ui: Number(process.env.TEST_TEMPORAL_UI_PORT ?? 18233),
  postgres: Number(process.env.TEST_POSTGRES_PORT ?? 15432),
  keycloak: Number(process.env.TEST_KEYCLOAK_PORT ?? 18080),
};
const stops = [];
let exitCode = 1;

/** Runs one jest configuration with its results in test-results/<name>.json; a run that wrote no results counts as failed. */
function runJest(config, name, env) {
  return runJestWith({ config, outputFile: path.join(resultsDir, `${name}.json`), env });
}

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

  log('tools from Debian: Chromium for the browser test, docker-compose to validate the compose file');
  const chromiumPath = ensureDebianTool('chromium', { log });
  const dockerComposePath = ensureDebianTool('docker-compose', { log });

  log('lint and types');
  await mustRun('nx project graph', 'npx', ['nx', 'show', 'projects'], { env: NX_ENV });
  await mustRun('lint', 'npx', ['eslint', '.', '--max-warnings=0'], { env: NX_ENV });
  await mustRun('type check', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);

  log('building the services');
  await mustRun('build', 'npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], { env: NX_ENV });

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  // The browser test opens the Web UI of the server the tests run on; given with TEMPORAL_ADDRESS, it comes from TEMPORAL_UI_URL.
  let temporalUiUrl = process.env.TEMPORAL_UI_URL;
  if (!temporalAddress) {
    const temporal = await startTemporal({ port: TEST_PORTS.temporal, uiPort: TEST_PORTS.ui, dbFile: path.join(stateDir, 'temporal.db'), log });
    stops.push(temporal.stop);
    temporalAddress = temporal.address;
    temporalUiUrl = temporal.uiUrl;
  }
  const postgres = await startPostgres({ port: TEST_PORTS.postgres, dataDir: path.join(stateDir, 'postgres'), log });
  stops.push(postgres.stop);
  // The identity provider: OIDC_ISSUER (with OIDC_CLIENT_SECRETS) names one, else Keycloak on a database of its own, emptied first.
  let identity = {};
  if (!process.env.OIDC_ISSUER) {
    const keycloak = await startKeycloak({
      port: TEST_PORTS.keycloak,
      databaseUrl: postgres.databaseUrl,
      database: 'keycloak_test',
      fresh: true,
      stateDir: path.join(stateDir, 'keycloak'),
      log,
    });
    stops.push(keycloak.stop);
    identity = { OIDC_ISSUER: keycloak.issuer, OIDC_CLIENT_SECRETS: JSON.stringify(keycloak.clientSecrets) };
  }

  log(`tests against Temporal ${temporalAddress} (Web UI ${temporalUiUrl ?? 'unknown: set TEMPORAL_UI_URL'}), PostgreSQL and the identity provider ${identity.OIDC_ISSUER ?? process.env.OIDC_ISSUER}`);
  // A fresh key set every run: the current key, then an older one for the rotation tests.
  const { newPayloadKey } = await import('./lib/secrets.mjs');
  const testEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: temporalAddress,
    DATABASE_URL: postgres.databaseUrl,
    ...identity,
    PAYLOAD_ENCRYPTION_KEYS: `${newPayloadKey('test-current')},${newPayloadKey('test-previous')}`,
    CHROMIUM_PATH: chromiumPath,
    DOCKER_COMPOSE_PATH: dockerComposePath,
    ...(temporalUiUrl ? { TEMPORAL_UI_URL: temporalUiUrl } : {}),
  };
  const main = await runJest('jest.config.cjs', 'jest', testEnv);
  log('after every other test: the personal-data scan of every workflow they left on the server');
  const after = await runJest(path.join('test', 'after-suite', 'jest.config.cjs'), 'jest-after-suite', testEnv);
  log('the cluster shape: end-to-end tests on the full Temporal server on PostgreSQL');
  const { runClusterTests } = await import('./lib/cluster-tests.mjs');
  const onCluster = await runClusterTests({ env: testEnv, resultsDir, stops, log }).catch((error) => {
    log(`the cluster phase did not run: ${error.message}`);
    return { ok: false, passed: 0, failed: 0 };
  });
  const { runFaultTests } = await import('./lib/fault-tests.mjs');
  const faults = await runFaultTests({ env: testEnv, resultsDir, log });
  const phases = [main, after, onCluster, faults];
  const passed = phases.reduce((sum, phase) => sum + phase.passed, 0);
  const failed = phases.reduce((sum, phase) => sum + phase.failed, 0);
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
  exitCode = phases.every((phase) => phase.ok) && passed > 0 ? 0 : 1;
} catch (error) {
  log(error.message);
} finally {
  await stopAll();
}
process.exit(exitCode);
