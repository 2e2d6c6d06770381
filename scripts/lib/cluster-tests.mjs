// The end-to-end tests that also run on the cluster shape: the full Temporal server on PostgreSQL
// (scripts/lib/temporal-server.mjs) instead of the CLI's dev server, each run on fresh state in
// .data/test-cluster/. `npm test` runs them after its other phases; `npm run test:cluster` alone.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from './paths.mjs';
import { startPostgres } from './postgres.mjs';
import { runJest } from './run.mjs';
import { startTemporalServer } from './temporal-server.mjs';

/** Status clarification and deportation end to end, and the demo with the supervisor's queries over SQL visibility. */
export const CLUSTER_SPECS = ['status-clarification', 'deportation', 'demo'].map((name) => path.join('test', 'e2e', `${name}.e2e-spec.ts`));

/**
 * Starts PostgreSQL and the full Temporal server (ports beside the other test servers; the frontend
 * uses the eight ports above its own), runs CLUSTER_SPECS against them with `env` (which holds the
 * payload keys), results in `<resultsDir>/jest-cluster.json`, and stops both. Its stops are pushed
 * onto `stops` as well, for a caller interrupted meanwhile.
 */
export async function runClusterTests({ env, resultsDir, stops = [], log = console.error }) {
  const stateDir = path.join(dataDir(), 'test-cluster');
  const ports = {
    temporal: Number(process.env.TEST_CLUSTER_TEMPORAL_PORT ?? 17243),
    postgres: Number(process.env.TEST_CLUSTER_POSTGRES_PORT ?? 15442),
  };
  rmSync(stateDir, { recursive: true, force: true });
  const own = [];
  try {
    // Always a PostgreSQL of its own (not DATABASE_URL): the Temporal databases start empty every run.
    const postgres = await startPostgres({ port: ports.postgres, dataDir: path.join(stateDir, 'postgres'), useDatabaseUrl: false, log });
    own.push(postgres.stop);
    stops.push(postgres.stop);
    const temporal = await startTemporalServer({ port: ports.temporal, databaseUrl: postgres.databaseUrl, stateDir, log });
    own.push(temporal.stop);
    stops.push(temporal.stop);

    log(`end-to-end tests on the cluster shape (Temporal server ${temporal.address} on PostgreSQL): ${CLUSTER_SPECS.join(', ')}`);
    const clusterEnv = { ...env, TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: postgres.databaseUrl };
    // That server has no Web UI.
    delete clusterEnv.TEMPORAL_UI_URL;
    return await runJest({
      config: path.join('test', 'jest.config.cjs'),
      outputFile: path.join(resultsDir, 'jest-cluster.json'),
      env: clusterEnv,
      args: ['--runTestsByPath', ...CLUSTER_SPECS],
    });
  } finally {
    for (const stop of own.reverse()) await stop().catch((error) => log(`stopping: ${error.message}`));
  }
}
