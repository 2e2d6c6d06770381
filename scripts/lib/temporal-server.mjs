// The cluster shape on one machine: the full Temporal server (history, matching, worker and frontend,
// each with its own ports and ringpop membership, in one process) on PostgreSQL, instead of the CLI's
// dev server. Both binaries come from the wrapper module infra/temporal-server, built once per user.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { secondsSince, tail } from './format.mjs';
import { cachePath, exe, goBuild, isExecutable, requiredVersion, which } from './go-build.mjs';
import { relative, repoRoot } from './paths.mjs';
import { childStopper, cliSucceeds, isListening, waitUntil } from './processes.mjs';
import { ensureTemporalCli } from './temporal-cli.mjs';
import { registerMissingSearchAttributes, searchAttributes } from './temporal-search-attributes.mjs';

const execFileAsync = promisify(execFile);

const MODULE_DIR = path.join(repoRoot(), 'infra', 'temporal-server');
const SERVER_MODULE = 'go.temporal.io/server';
export const TEMPORAL_SERVER_VERSION = requiredVersion(MODULE_DIR, SERVER_MODULE);

const BINARIES = {
  server: { name: 'temporal-server', pkg: `${SERVER_MODULE}/cmd/server`, variable: 'TEMPORAL_SERVER_PATH' },
  sqlTool: { name: 'temporal-sql-tool', pkg: `${SERVER_MODULE}/cmd/tools/sql`, variable: 'TEMPORAL_SQL_TOOL_PATH' },
};

// The two databases and the schema (embedded in the SQL tool) each gets.
const DATABASES = [
  { name: 'temporal', schema: 'postgresql/v12/temporal' },
  { name: 'temporal_visibility', schema: 'postgresql/v12/visibility' },
];

// Every port the server listens on, from the frontend's (the only one clients use) upwards.
const PORT_OFFSETS = {
  FRONTEND_PORT: 0,
  FRONTEND_MEMBERSHIP_PORT: 1,
  HISTORY_PORT: 2,
  HISTORY_MEMBERSHIP_PORT: 3,
  MATCHING_PORT: 4,
  MATCHING_MEMBERSHIP_PORT: 5,
  WORKER_PORT: 6,
  WORKER_MEMBERSHIP_PORT: 7,
  FRONTEND_HTTP_PORT: 8,
};

const NAMESPACE_RETENTION = '7d';

/**
 * The server and SQL tool binaries: from TEMPORAL_SERVER_PATH and TEMPORAL_SQL_TOOL_PATH, else the
 * build in ${XDG_CACHE_HOME:-~/.cache}/municipal-handoffs/temporal-server-<version>/, else built there now.
 */
export async function ensureTemporalServer({ log = console.error } = {}) {
  const found = {};
  for (const [key, binary] of Object.entries(BINARIES)) {
    found[key] = await findOrBuild(binary, log);
  }
  return found;
}

async function findOrBuild({ name, pkg, variable }, log) {
  const fromEnv = process.env[variable];
  if (fromEnv) {
    const file = path.resolve(fromEnv);
    if (!isExecutable(file)) throw new Error(`${variable}=${fromEnv} is not an executable file`);
    log(`Temporal server: using $${variable} (${file})`);
    return file;
  }
  const cached = cachePath(`temporal-server-${TEMPORAL_SERVER_VERSION}`, exe(name));
  if (isExecutable(cached)) {
    log(`Temporal server: using the ${TEMPORAL_SERVER_VERSION} build of ${name} in ${cached}`);
    return cached;
  }
  const go = which('go');
  if (!go) {
    throw new Error(
      `Temporal server: no ${name} ${TEMPORAL_SERVER_VERSION} in ${cached}, $${variable} is not set and \`go\` is not on PATH. ` +
        'Install Go (https://go.dev/dl/) and run again: it is then built from infra/temporal-server once and cached.',
    );
  }
  log(`Temporal server: building ${name} ${TEMPORAL_SERVER_VERSION} from the Go module proxy; the first build takes several minutes …`);
  const started = Date.now();
  try {
    await goBuild({ go, moduleDir: MODULE_DIR, pkg, target: cached });
  } catch (error) {
    throw new Error(`Temporal server: ${error.message}`);
  }
  log(`Temporal server: built ${cached} in ${secondsSince(started)}`);
  return cached;
}

/**
 * Starts the full Temporal server with its frontend on `port` (and the eight ports above it for the
 * other services, the membership and the frontend's HTTP API), on the PostgreSQL that `databaseUrl` names (its user needs to
 * create databases): creates and migrates the databases `temporal` and `temporal_visibility` as needed,
 * then registers the `default` namespace and the supervisor's search attributes. Configuration and
 * log go to `stateDir`; the data stays in PostgreSQL, so a restart carries on where it stopped.
 */
export async function startTemporalServer({ port = 7243, databaseUrl, stateDir, logLevel = 'warn', log = console.error }) {
  const started = Date.now();
  const address = `127.0.0.1:${port}`;
  const binaries = await ensureTemporalServer({ log });
  const cli = await ensureTemporalCli({ log });
  if (!cli) throw new Error('Temporal server: the Temporal CLI is needed to register the namespace and the search attributes');

  const ports = Object.fromEntries(Object.entries(PORT_OFFSETS).map(([name, offset]) => [name, port + offset]));
  for (const [name, taken] of Object.entries(ports)) {
    if (await isListening(taken)) {
      throw new Error(`Temporal server: port ${taken} (${name.toLowerCase().replaceAll('_', ' ')}) is in use; stop what holds it or choose another frontend port (it uses ${port}–${port + 8})`);
    }
  }

  fs.mkdirSync(stateDir, { recursive: true });
  const postgres = connectionOf(databaseUrl);
  await setUpSchemas(binaries.sqlTool, postgres, path.join(stateDir, 'schema-setup.log'), log);
  writeConfig(stateDir, { ...ports, ...postgres.template, LOG_LEVEL: logLevel });

  const logFile = path.join(stateDir, 'temporal-server.log');
  const args = ['--root', stateDir, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'];
  args.push(...['frontend', 'history', 'matching', 'worker'].flatMap((service) => ['--service', service]));
  log(`Temporal server: starting ${TEMPORAL_SERVER_VERSION} (frontend ${address}, log in ${relative(logFile)})`);
  fs.appendFileSync(logFile, `\n--- ${new Date().toISOString()} ${binaries.server} ${args.join(' ')}\n`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(binaries.server, args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const stop = childStopper(child, 'SIGTERM', () => log('Temporal server: stopped'));

  try {
    await waitUntil(120_000, child, () => cliSucceeds(cli, ['operator', 'cluster', 'health', '--address', address]));
    await ensureNamespace(cli, address, 'default', log);
    const startAfresh = `stop it and delete the databases ${DATABASES.map(({ name }) => name).join(' and ')} to start afresh`;
    await retrying(() => registerMissingSearchAttributes(cli, address, searchAttributes(), log, { startAfresh }));
  } catch (error) {
    await stop();
    throw new Error(`Temporal server: ${error.message}\nLast lines of ${logFile}:\n${tail(logFile)}`);
  }
  log(`Temporal server: ready at ${address} (${secondsSince(started)})`);
  return { address, logFile, stop };
}

function connectionOf(databaseUrl) {
  const url = new URL(databaseUrl);
  const host = url.hostname || '127.0.0.1';
  const port = url.port || '5432';
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return {
    url,
    toolArgs: ['--plugin', 'postgres12', '--endpoint', host, '--port', port, '--user', user],
    // The password goes through the environment, not the command line that any process can list.
    toolEnv: { ...process.env, SQL_PASSWORD: password },
    template: { POSTGRES_ADDRESS: `${host}:${port}`, POSTGRES_USER: user, POSTGRES_PASSWORD: password },
  };
}

/** Idempotent: a missing database is created and set up; an existing schema is only brought up to the server's version. */
async function setUpSchemas(sqlTool, postgres, logFile, log) {
  const { default: pg } = await import('pg');
  const sql = async (database, query, params) => {
    const url = new URL(postgres.url);
    url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      return (await client.query(query, params)).rows;
    } finally {
      await client.end();
    }
  };
  const tool = async (database, ...args) => {
    fs.appendFileSync(logFile, `\n--- ${new Date().toISOString()} temporal-sql-tool --database ${database} ${args.join(' ')}\n`);
    try {
      const { stdout, stderr } = await execFileAsync(sqlTool, [...postgres.toolArgs, '--database', database, ...args], { env: postgres.toolEnv, timeout: 120_000 });
      fs.appendFileSync(logFile, stdout + stderr);
    } catch (error) {
      fs.appendFileSync(logFile, (error.stdout ?? '') + (error.stderr ?? ''));
      throw new Error(`temporal-sql-tool ${args[0]} on ${database} failed; see ${relative(logFile)}:\n${tail(logFile)}`);
    }
  };

  for (const { name, schema } of DATABASES) {
    const exists = (await sql('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).length > 0;
    if (!exists) {
      log(`Temporal server: creating database ${name}`);
      await tool(name, 'create-database');
    }
    const versioned = (await sql(name, "SELECT to_regclass('schema_version') IS NOT NULL AS present"))[0].present;
    if (!versioned) await tool(name, 'setup-schema', '--version', '0.0');
    await tool(name, 'update-schema', '--schema-name', schema);
    const [{ curr_version: version }] = await sql(name, 'SELECT curr_version FROM schema_version');
    log(`Temporal server: database ${name} at schema version ${version}${versioned ? '' : ' (new)'}`);
  }
}

/** Renders infra/temporal-server/config-template.yaml into `<stateDir>/config/development.yaml`. */
function writeConfig(stateDir, values) {
  const template = fs.readFileSync(path.join(MODULE_DIR, 'config-template.yaml'), 'utf8');
  const [database, visibility] = DATABASES.map(({ name }) => name);
  const all = { ...values, DATABASE: database, VISIBILITY_DATABASE: visibility, DYNAMIC_CONFIG_FILE: path.join(MODULE_DIR, 'dynamic-config.yaml') };
  const rendered = template.replace(/\$\{(\w+)\}/g, (placeholder, name) => {
    if (!(name in all)) throw new Error(`Temporal server: the configuration template has ${placeholder}, which nothing sets`);
    return typeof all[name] === 'number' ? String(all[name]) : JSON.stringify(all[name]);
  });
  const file = path.join(stateDir, 'config', 'development.yaml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // It holds the database password.
  fs.writeFileSync(file, rendered, { mode: 0o600 });
}

async function ensureNamespace(cli, address, namespace, log) {
  const common = ['--address', address, '--namespace', namespace];
  if (await cliSucceeds(cli, ['operator', 'namespace', 'describe', ...common])) return;
  log(`Temporal server: registering the namespace ${namespace} (retention ${NAMESPACE_RETENTION})`);
  await execFileAsync(cli, ['operator', 'namespace', 'create', ...common, '--retention', NAMESPACE_RETENTION], { timeout: 30_000 });
  await retrying(async () => {
    await execFileAsync(cli, ['operator', 'namespace', 'describe', ...common], { timeout: 10_000 });
  });
}

/** A namespace just registered reaches every service of the cluster within moments, not at once. */
async function retrying(action, attempts = 20) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
