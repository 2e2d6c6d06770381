// The Temporal dev server (the CLI's, or else one the SDK downloads) with its Web UI and our search attributes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { secondsSince, tail } from './format.mjs';
import { dataDir, relative } from './paths.mjs';
import { childStopper, cliSucceeds, isListening, waitUntil } from './processes.mjs';
import { missingSearchAttributes, registerMissingSearchAttributes, searchAttributes } from './temporal-search-attributes.mjs';
import { ensureTemporalCli } from './temporal-cli.mjs';

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

async function httpAnswers(url) {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}
