// The fault tests (test/faults): handoffs in flight while each service is killed and started again,
// the Temporal dev server restarted and PostgreSQL restarted. The test starts and restarts its own
// Temporal dev server and PostgreSQL (scripts/lib/fault-stack.mjs, state in .data/test-faults/, ports
// TEST_FAULTS_TEMPORAL_PORT, TEST_FAULTS_TEMPORAL_UI_PORT, TEST_FAULTS_POSTGRES_PORT): the shared
// test servers cannot be restarted under the suites running on them. `npm test` runs this phase after
// the others; `npm run test:faults` alone.
import path from 'node:path';
import { runJest } from './run.mjs';

/** Runs test/faults with `env` (which holds the payload keys), results in `<resultsDir>/jest-faults.json`. */
export async function runFaultTests({ env, resultsDir, log = console.error }) {
  log('fault tests: every service killed in turn, Temporal and PostgreSQL restarted, with handoffs in flight');
  return runJest({
    config: path.join('test', 'faults', 'jest.config.cjs'),
    outputFile: path.join(resultsDir, 'jest-faults.json'),
    env,
  });
}
