#!/usr/bin/env node
// `npm start`: installs what is missing, provisions the Temporal dev server (with its Web UI),
// PostgreSQL and the identity provider (Keycloak, with the realm of infra/keycloak/realm.json), builds
// and starts the four services and the codec server, loads the demo scenario and prints where
// everything is, the demo users and how to get a token. Ctrl-C stops it all; state (and the payload
// keys) is kept in .data/ and survives a restart.
// `npm run start:cluster` (--cluster): the same, on the full Temporal server on PostgreSQL instead of
// the dev server (the cluster shape, scripts/lib/temporal-server.mjs), with its state in .data/cluster/.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled } from './lib/ensure-install.mjs';
import { mustRun, NX_ENV } from './lib/run.mjs';
import { serviceEntry, SERVICES } from './lib/service-roster.mjs';

const cluster = process.argv.includes('--cluster');
const log = (message) => console.log(`[npm ${cluster ? 'run start:cluster' : 'start'}] ${message}`);
ensureInstalled({ log });
const { dataDir } = await import('./lib/paths.mjs');
const { startPostgres } = await import('./lib/postgres.mjs');
const { startTemporal } = await import('./lib/temporal-dev-server.mjs');
const { startTemporalServer } = await import('./lib/temporal-server.mjs');
const { DEMO_SETTINGS, loadDemo, loadOutageCase, outageCaseMissing } = await import('./demo.mjs');
const { localSecrets } = await import('./lib/secrets.mjs');
const { PROVIDER_FILE, startKeycloak } = await import('./lib/keycloak.mjs');
const { DEMO_PASSWORD, demoUserLines, tokenLifespanMinutes } = await import('./lib/keycloak-realm.mjs');

const portVariable = (service) => `${service.toUpperCase().replace(/-/g, '_')}_PORT`;
const portOf = (service) => Number(process.env[portVariable(service)] ?? serviceEntry(service).port);
const stateDir = cluster ? path.join(dataDir(), 'cluster') : dataDir();
const logDir = path.join(stateDir, 'logs');
const stops = [];
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  log('stopping …');
  for (const stop of stops.reverse()) {
    await stop().catch((error) => log(`stopping: ${error.message}`));
  }
  log('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const running = new Map();

function startService(service, env) {
  const out = createWriteStream(path.join(logDir, `${service}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [path.join('dist', 'services', service, 'main.js')], {
    env: { ...env, [portVariable(service)]: String(portOf(service)) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  child.once('exit', (code) => {
    if (!stopping && running.get(service)?.child === child) log(`${service} exited (${code}); see ${path.join(logDir, `${service}.log`)}`);
  });
  stops.push(stop);
  running.set(service, { child, stop });
  return child;
}

/**
 * The demo's outage, on an empty database only: social services is stopped while a deportation
 * starts, so supervisors see a domain-unavailable handoff; it comes back after DEMO_OUTAGE
 * (default "3 minutes"; "0" skips the outage) and the handoff moves on.
 */
async function showOutage(env, urls) {
  const outage = process.env.DEMO_OUTAGE ?? '3 minutes';
  const minutes = Number(/^(\d+(?:\.\d+)?)\s*minutes?$/.exec(outage)?.[1] ?? outage);
  if (!(minutes > 0) || !(await outageCaseMissing(urls))) return;
  const service = 'social-services';
  const entry = running.get(service);
  running.delete(service);
  await entry.stop();
  await loadOutageCase(urls, log);
  const backAt = new Date(Date.now() + minutes * 60_000);
  log(`demo: ${service} is stopped until ${backAt.toISOString().slice(11, 16)} UTC to show a domain-unavailable handoff (DEMO_OUTAGE=0 skips this)`);
  const timer = setTimeout(async () => {
    if (stopping) return;
    startService(service, env);
    await waitHealthy(service).then(() => log(`demo: ${service} is back; the handoff moves on`), (error) => log(error.message));
  }, minutes * 60_000);
  stops.push(async () => clearTimeout(timer));
}

async function waitHealthy(service) {
  const url = `http://127.0.0.1:${portOf(service)}/health`;
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${service} did not become healthy; see ${path.join(logDir, `${service}.log`)}`);
}

/** The supervisor's ready-made views (docs/supervisors.md), as links into the Web UI. */
const SUPERVISOR_VIEWS = JSON.parse(readFileSync(new URL('./lib/supervisor-views.json', import.meta.url), 'utf8'));

function uiQuery(uiUrl, query) {
  return `${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`;
}

/**
 * The dev server with its Web UI and PostgreSQL, or (--cluster) PostgreSQL and the full Temporal
 * server on it, which has no Web UI: the supervisor's views are then CLI commands.
 */
async function startTemporalAndPostgres(codecEndpoint) {
  if (cluster) {
    const postgres = await startPostgres({ port: Number(process.env.POSTGRES_PORT ?? 54330), dataDir: path.join(stateDir, 'postgres'), log });
    stops.push(postgres.stop);
    const temporal = await startTemporalServer({ port: Number(process.env.TEMPORAL_PORT ?? 7243), databaseUrl: postgres.databaseUrl, stateDir, log });
    stops.push(temporal.stop);
    return { temporal, postgres, env: {} };
  }
  const temporal = await startTemporal({ codecEndpoint, log });
  stops.push(temporal.stop);
  const postgres = await startPostgres({ port: Number(process.env.POSTGRES_PORT ?? 54320), log });
  stops.push(postgres.stop);
  const uiPort = new URL(temporal.uiUrl).port;
  return { temporal, postgres, env: { CODEC_ALLOWED_ORIGINS: process.env.CODEC_ALLOWED_ORIGINS ?? `http://localhost:${uiPort},http://127.0.0.1:${uiPort}` } };
}

function supervisorViews(temporal, width) {
  if (!cluster) {
    const ui = temporal.uiUrl.replace('127.0.0.1', 'localhost');
    return [`  ${'Temporal Web UI'.padEnd(width)} ${ui}`, ...SUPERVISOR_VIEWS.map(({ name, query }) => `  ${name.padEnd(width)} ${uiQuery(ui, query)}`)];
  }
  const cli = `TEMPORAL_ADDRESS=${temporal.address} npm run temporal -- workflow list --query`;
  return [
    `  ${'Temporal server'.padEnd(width)} ${temporal.address} (gRPC; the full server on PostgreSQL, log in ${temporal.logFile})`,
    `  ${'Temporal Web UI'.padEnd(width)} none: the server has no UI built in (\`npm start\` runs the dev server with one); the supervisor's views from the CLI:`,
    ...SUPERVISOR_VIEWS.map(({ name, query }) => `  ${name.padEnd(width)} ${cli} "${query}"`),
  ];
}

/** Keycloak on the project's PostgreSQL (its own database), recorded in .data/keycloak.json for `npm run token`. */
async function startIdentityProvider(postgres) {
  const keycloak = await startKeycloak({
    port: Number(process.env.KEYCLOAK_PORT ?? 8080),
    databaseUrl: postgres.databaseUrl,
    stateDir: path.join(stateDir, 'keycloak'),
    log,
  });
  stops.push(keycloak.stop);
  writeFileSync(PROVIDER_FILE, `${JSON.stringify({ issuer: keycloak.issuer, url: keycloak.url }, null, 2)}\n`);
  stops.push(async () => rmSync(PROVIDER_FILE, { force: true }));
  return keycloak;
}

function identityProviderLines(keycloak, width) {
  return [
    `  ${'Identity provider'.padEnd(width)} ${keycloak.issuer} (Keycloak; admin console ${keycloak.url}/admin/ as ${keycloak.admin.username}, password in ${keycloak.admin.passwordFile})`,
    '',
    `  Demo users (password "${DEMO_PASSWORD}", demo only): staff ID, domain, roles, name`,
    ...demoUserLines(undefined, '    '),
    '',
    `  An access token for curl (valid ${tokenLifespanMinutes()} minutes): TOKEN=$(npm run -s token -- abh.schmidt)`,
    '  a caseworker\'s token for a service\'s domain: npm run token -- --for job-centre; the users again: npm run token -- --list',
  ];
}

try {
  mkdirSync(logDir, { recursive: true });
  // Payloads are encrypted; the Web UI decodes them through the codec server, for a logged-in supervisor.
  const secrets = localSecrets(dataDir(), { log });
  const codecServer = `http://localhost:${portOf('codec-server')}`;
  const { temporal, postgres, env: temporalEnv } = await startTemporalAndPostgres(codecServer);
  const keycloak = await startIdentityProvider(postgres);

  log('building the services');
  await mustRun('build', 'npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], { env: NX_ENV });

  const env = {
    ...DEMO_SETTINGS,
    ...process.env,
    DATABASE_URL: postgres.databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    PAYLOAD_ENCRYPTION_KEYS: secrets.payloadKeys,
    CODEC_SUPERVISOR_TOKEN_HASHES: secrets.supervisorTokenHashes,
    ...temporalEnv,
  };
  for (const service of SERVICES) startService(service, env);
  await Promise.all(SERVICES.map(waitHealthy));
  log(`services healthy; logs in ${logDir}`);

  const local = (service) => `http://127.0.0.1:${portOf(service)}`;
  const urls = { immigration: local('immigration'), jobCentre: local('job-centre'), socialServices: local('social-services') };
  // The demo is a convenience: if a step of it is refused, say so and keep the system running.
  await loadDemo(urls, log)
    .then(() => showOutage(env, urls))
    .catch((error) => log(`the demo scenario stopped early: ${error.message}`));

  const WIDTH = Math.max(...SUPERVISOR_VIEWS.map(({ name }) => name.length), ...SERVICES.map((service) => service.length));
  const token = secrets.supervisor ? `the token ${secrets.supervisor.token} (kept in ${secrets.supervisor.tokenFile})` : 'a token whose hash is in CODEC_SUPERVISOR_TOKEN_HASHES';
  const temporalCli = cluster ? `TEMPORAL_ADDRESS=${temporal.address} npm run temporal --` : 'npm run temporal --';
  console.log(`
${supervisorViews(temporal, WIDTH).join('\n')}
${SERVICES.map((service) => `  ${service.padEnd(WIDTH)} http://localhost:${portOf(service)}${serviceEntry(service).homePage}`).join('\n')}
  ${'PostgreSQL'.padEnd(WIDTH)} ${postgres.databaseUrl}
${identityProviderLines(keycloak, WIDTH).join('\n')}

${
  cluster
    ? `  Payloads are encrypted. The codec server decodes them for a supervisor with ${token}:
  ${temporalCli} workflow show -w <workflow id> --codec-endpoint ${codecServer} --codec-auth "Bearer <token>"`
    : `  Payloads are encrypted. To read them in the Web UI, a supervisor logs in at ${codecServer}/login
  with ${token},
  then ticks "Include cross-origin credentials" in the UI's Data Encoder.`
}

  ${temporalCli} workflow list --query 'Stuck = true'     (in another terminal)
  Ctrl-C stops everything; state stays in ${stateDir}.
`);
} catch (error) {
  log(error.message);
  await stopAll(1);
}
