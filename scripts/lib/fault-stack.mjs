#!/usr/bin/env node
// The fault tests' own Temporal dev server and PostgreSQL, which the test restarts while handoffs
// are in flight (test/faults). Both keep their state on disk across a restart: Temporal in its
// SQLite file, PostgreSQL in its data folder. Jest runs TypeScript as CommonJS and cannot import
// these ESM scripts, so the test runs this one as a child process and speaks to it in lines:
//
//   it prints   {"ready":{"temporalAddress":…,"databaseUrl":…}}   once both servers are up
//   it reads    restart temporal | restart postgres | stop
//   it answers  {"done":"restart temporal"}, or {"failed":"restart temporal","error":…}
//
// Progress goes to stderr. Ports: TEST_FAULTS_TEMPORAL_PORT, TEST_FAULTS_TEMPORAL_UI_PORT, TEST_FAULTS_POSTGRES_PORT;
// state in TEST_FAULTS_STATE_DIR (emptied at start).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { dataDir } from './paths.mjs';
import { startPostgres } from './postgres.mjs';
import { startTemporal, WAL_SQLITE_PRAGMAS } from './temporal-dev-server.mjs';

const log = (message) => console.error(`[fault stack] ${message}`);
const answer = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

const stateDir = process.env.TEST_FAULTS_STATE_DIR ?? path.join(dataDir(), 'test-faults');
const ports = {
  temporal: Number(process.env.TEST_FAULTS_TEMPORAL_PORT ?? 17263),
  ui: Number(process.env.TEST_FAULTS_TEMPORAL_UI_PORT ?? 18263),
  postgres: Number(process.env.TEST_FAULTS_POSTGRES_PORT ?? 15452),
};


const servers = {
  temporal: () => startTemporal({ port: ports.temporal, uiPort: ports.ui, dbFile: path.join(stateDir, 'temporal.db'), sqlitePragmas: WAL_SQLITE_PRAGMAS, log }),
  // Never DATABASE_URL: this server is stopped and started by the test.
  postgres: () => startPostgres({ port: ports.postgres, dataDir: path.join(stateDir, 'postgres'), useDatabaseUrl: false, log }),
};
const running = {};

async function stopAll() {
  for (const name of ['temporal', 'postgres']) {
    await running[name]?.stop().catch((error) => log(`stopping ${name}: ${error.message}`));
    delete running[name];
  }
}

/** Stops a server (SIGTERM for Temporal, a fast shutdown for PostgreSQL) and starts it again on the same state. */
async function restart(name) {
  await running[name].stop();
  delete running[name];
  running[name] = await servers[name]();
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => void stopAll().then(() => process.exit(130)));
}

try {
  rmSync(stateDir, { recursive: true, force: true });
  running.postgres = await servers.postgres();
  running.temporal = await servers.temporal();
  answer({ ready: { temporalAddress: running.temporal.address, databaseUrl: running.postgres.databaseUrl } });
} catch (error) {
  log(error.message);
  await stopAll();
  process.exit(1);
}

// One command at a time, in the order given.
let queue = Promise.resolve();
const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const command = line.trim();
  queue = queue.then(async () => {
    const [verb, name] = command.split(/\s+/);
    try {
      if (verb === 'restart' && name in servers) await restart(name);
      else if (verb === 'stop') await stopAll();
      else throw new Error(`unknown command "${command}" (restart temporal | restart postgres | stop)`);
      answer({ done: command });
      if (verb === 'stop') process.exit(0);
    } catch (error) {
      answer({ failed: command, error: error.message });
    }
  });
});
// The test went away without saying stop: nothing is left running.
commands.on('close', () => void queue.then(stopAll).then(() => process.exit(0)));
