// Keycloak, the embedded identity provider (DESIGN.md §7): the server distribution from Maven Central,
// checked against the size and SHA-512 pinned in infra/keycloak/distribution.json, unpacked and built
// for PostgreSQL once per user into a cache keyed by version (a fresh clone reuses it), run on the
// machine's Java with its data in a database `keycloak` of the project's PostgreSQL and the realm of
// infra/keycloak/realm.json.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { secondsSince, tail } from './format.mjs';
import { cachePath, which } from './go-build.mjs';
import { HANDOFFS_REALM, REALM_FILE } from './keycloak-realm.mjs';
import { dataDir, relative, repoRoot } from './paths.mjs';
import { childStopper, isListening, waitUntil } from './processes.mjs';

const DISTRIBUTION = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'infra', 'keycloak', 'distribution.json'), 'utf8'));
export const KEYCLOAK_VERSION = DISTRIBUTION.version;

/**
 * Build-time options, applied once when the distribution is unpacked (`kc.sh build`), so that every
 * start is `kc.sh start --optimized` and never rewrites the shared copy in the cache.
 */
const BUILD_OPTIONS = ['--db=postgres'];

/** The heap Keycloak gets unless JAVA_OPTS_KC_HEAP says otherwise: it uses about 130 MB; the machine runs the test suite beside it. */
const DEFAULT_HEAP = '-Xms64m -Xmx384m';

const ADMIN_USERNAME = 'admin';

/** Where `npm start` records the provider it runs (`{ issuer, url }`), for `npm run token`. */
export const PROVIDER_FILE = path.join(dataDir(), 'keycloak.json');

/** The realm attribute that records which realm.json (by its SHA-256) the realm was imported from. */
const REALM_FILE_HASH_ATTRIBUTE = 'handoffs.realmFileSha256';

/**
 * The Keycloak home (the folder with bin/kc.sh): $KEYCLOAK_HOME, else the copy in
 * ${XDG_CACHE_HOME:-~/.cache}/municipal-handoffs/keycloak-<version>/, else downloaded, unpacked and
 * built there now. Two processes doing this at once are safe: each works in a folder of its own and
 * renames the finished one into place. `optimized`: built here for PostgreSQL (else Keycloak builds at start).
 */
export async function ensureKeycloak({ log = console.error } = {}) {
  const java = ensureJava();
  const fromEnv = process.env.KEYCLOAK_HOME;
  if (fromEnv) {
    const home = path.resolve(fromEnv);
    if (!fs.existsSync(path.join(home, 'bin', 'kc.sh'))) throw new Error(`Keycloak: KEYCLOAK_HOME=${fromEnv} has no bin/kc.sh`);
    log(`Keycloak: using $KEYCLOAK_HOME (${home})`);
    return { home, java, optimized: false };
  }
  const home = cachePath(`keycloak-${KEYCLOAK_VERSION}`);
  if (fs.existsSync(path.join(home, 'bin', 'kc.sh'))) {
    log(`Keycloak: using ${KEYCLOAK_VERSION} in ${home}`);
    return { home, java, optimized: true };
  }

  const started = Date.now();
  const work = `${home}.tmp-${process.pid}`;
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  try {
    const zip = path.join(work, path.basename(new URL(distributionUrl()).pathname));
    await download(distributionUrl(), zip, log);
    log(`Keycloak: unpacking ${path.basename(zip)} …`);
    unzip(zip, work);
    fs.rmSync(zip);
    const unpacked = path.join(work, `keycloak-${KEYCLOAK_VERSION}`);
    if (!fs.existsSync(path.join(unpacked, 'bin', 'kc.sh'))) throw new Error(`the archive has no keycloak-${KEYCLOAK_VERSION}/bin/kc.sh`);
    build(unpacked, java, path.join(work, 'build.log'), log);
    try {
      fs.renameSync(unpacked, home);
    } catch (error) {
      // Another process finished first: theirs is as good as ours.
      if (!['EEXIST', 'ENOTEMPTY'].includes(error.code) || !fs.existsSync(path.join(home, 'bin', 'kc.sh'))) throw error;
      log(`Keycloak: another process provided ${KEYCLOAK_VERSION} at the same time; using theirs`);
    }
  } catch (error) {
    throw new Error(`Keycloak: could not provide ${KEYCLOAK_VERSION} in ${home}: ${error.message}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  log(`Keycloak: ${KEYCLOAK_VERSION} is ready in ${home} (${secondsSince(started)})`);
  return { home, java, optimized: true };
}

/** Maven Central, or a mirror of it that KEYCLOAK_DIST_URL names (the pinned size and checksum are checked either way). */
function distributionUrl() {
  return process.env.KEYCLOAK_DIST_URL || DISTRIBUTION.url;
}

/** Java on PATH (or $JAVA_HOME/bin/java), at least 17, which Keycloak 26 needs. */
function ensureJava() {
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : which('java');
  const install = 'Keycloak needs Java 17 or later: on Debian `sudo apt-get install -y openjdk-17-jre-headless`, or set JAVA_HOME to one.';
  if (!java || !fs.existsSync(java)) throw new Error(`Keycloak: no \`java\` ${process.env.JAVA_HOME ? `in JAVA_HOME=${process.env.JAVA_HOME}` : 'on PATH'}. ${install}`);
  const { stderr } = spawnSync(java, ['-version'], { encoding: 'utf8' });
  const major = Number(/version "(?:1\.)?(\d+)/.exec(stderr ?? '')?.[1]);
  if (!(major >= 17)) throw new Error(`Keycloak: ${java} is Java ${major || '(of an unknown version)'}. ${install}`);
  return java;
}

/** Streams `url` into `file`, logging progress, and checks the pinned size and SHA-512 before anything uses it. */
async function download(url, file, log) {
  const megabytes = (bytes) => `${Math.round(bytes / 1e6)} MB`;
  log(`Keycloak: downloading ${url} (${megabytes(DISTRIBUTION.size)}, once per user; this can take a few minutes) …`);
  const started = Date.now();
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`GET ${url} answered ${response.status} ${response.statusText}`);
  const hash = createHash('sha512');
  const out = fs.createWriteStream(file);
  let received = 0;
  let reported = Date.now();
  for await (const chunk of response.body) {
    hash.update(chunk);
    received += chunk.length;
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
    if (Date.now() - reported >= 5_000) {
      reported = Date.now();
      log(`Keycloak: downloaded ${megabytes(received)} of ${megabytes(DISTRIBUTION.size)} (${Math.round((100 * received) / DISTRIBUTION.size)} %, ${secondsSince(started)})`);
    }
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  const sha512 = hash.digest('hex');
  if (received !== DISTRIBUTION.size || sha512 !== DISTRIBUTION.sha512) {
    throw new Error(
      `the download is not the pinned distribution (infra/keycloak/distribution.json): ${received} bytes, SHA-512 ${sha512}; expected ${DISTRIBUTION.size} bytes, SHA-512 ${DISTRIBUTION.sha512}`,
    );
  }
  log(`Keycloak: downloaded ${megabytes(received)} in ${secondsSince(started)}; size and SHA-512 match the pinned ones`);
}

/**
 * Debian's `unzip` when present (fast, and keeps the scripts' executable bits); else Python's zipfile
 * module, which drops those bits, so the scripts in bin/ are made executable again.
 */
function unzip(zip, into) {
  if (which('unzip')) {
    execFileSync('unzip', ['-q', zip, '-d', into], { stdio: ['ignore', 'ignore', 'pipe'] });
    return;
  }
  const python = which('python3');
  if (!python) throw new Error("neither `unzip` nor `python3` is on PATH to unpack it; install Debian's package unzip (`sudo apt-get install -y unzip`)");
  execFileSync(python, ['-m', 'zipfile', '-e', zip, into], { stdio: ['ignore', 'ignore', 'pipe'] });
  const bin = path.join(into, `keycloak-${KEYCLOAK_VERSION}`, 'bin');
  for (const script of fs.readdirSync(bin).filter((name) => name.endsWith('.sh'))) fs.chmodSync(path.join(bin, script), 0o755);
}

/** `kc.sh build` with BUILD_OPTIONS, in the unpacked folder before it moves into place. */
function build(home, java, logFile, log) {
  log(`Keycloak: building it for PostgreSQL (kc.sh build ${BUILD_OPTIONS.join(' ')}; about half a minute) …`);
  const started = Date.now();
  const out = fs.openSync(logFile, 'a');
  const { status, error } = spawnSync(path.join(home, 'bin', 'kc.sh'), ['build', ...BUILD_OPTIONS], { cwd: home, stdio: ['ignore', out, out], env: keycloakEnv(java) });
  fs.closeSync(out);
  if (error || status !== 0) throw new Error(`kc.sh build failed (${error?.message ?? `exit code ${status}`}):\n${tail(logFile)}`);
  log(`Keycloak: built in ${secondsSince(started)}`);
}

/** The environment of kc.sh: ours without any KC_* setting of the caller's (the options are ours to give), with Java and the heap. */
function keycloakEnv(java, settings = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('KC_')));
  return { ...env, JAVA: java, JAVA_OPTS_KC_HEAP: process.env.JAVA_OPTS_KC_HEAP || DEFAULT_HEAP, ...settings };
}

/**
 * Starts Keycloak on 127.0.0.1:`port` with its data in the database `database` of the PostgreSQL that
 * `databaseUrl` names (created if missing, dropped first if `fresh`; its user needs to create databases), its admin password,
 * log and transaction log in `stateDir`. The realm of infra/keycloak/realm.json is imported through the
 * admin API when it is missing, and again when the file has changed since (its demo users' sessions end).
 * Resolves with the realm's issuer, Keycloak's URL, the admin console's login, each service client's
 * secret (generated by Keycloak at import, read back here) and `stop`.
 */
export async function startKeycloak({ port = 8080, databaseUrl, database: databaseName = 'keycloak', fresh = false, stateDir, log = console.error }) {
  const started = Date.now();
  const url = `http://127.0.0.1:${port}`;
  const issuer = `${url}/realms/${HANDOFFS_REALM}`;
  if (await isListening(port)) {
    throw new Error(`Keycloak: port ${port} is in use; stop whatever holds it or choose another port (KEYCLOAK_PORT for npm start, TEST_KEYCLOAK_PORT for npm test)`);
  }
  const { home, java, optimized } = await ensureKeycloak({ log });
  stateDir = path.resolve(stateDir);
  fs.mkdirSync(stateDir, { recursive: true });
  const database = await createDatabase(databaseUrl, databaseName, { fresh, log });
  const admin = { username: ADMIN_USERNAME, password: keptSecret(path.join(stateDir, 'admin-password'), log) };

  const logFile = path.join(stateDir, 'keycloak.log');
  const args = [optimized ? 'start' : 'start-dev', ...(optimized ? ['--optimized'] : BUILD_OPTIONS)];
  // The shared copy in the cache is never written to: the transaction log (Narayana's object store) goes to the state folder.
  args.push(`-Dquarkus.transaction-manager.object-store.directory=${path.join(stateDir, 'transaction-logs')}`);
  const env = keycloakEnv(java, {
    KC_DB_URL: database.jdbcUrl,
    KC_DB_USERNAME: database.username,
    KC_DB_PASSWORD: database.password,
    KC_HTTP_ENABLED: 'true',
    KC_HTTP_HOST: '127.0.0.1',
    KC_HTTP_PORT: String(port),
    // Tokens name this issuer whichever address a client calls.
    KC_HOSTNAME: url,
    KC_CACHE: 'local',
    KC_BOOTSTRAP_ADMIN_USERNAME: admin.username,
    KC_BOOTSTRAP_ADMIN_PASSWORD: admin.password,
  });
  const firstStart = database.created ? '; on a new database it first sets up its schema, about a minute' : '';
  log(`Keycloak: starting ${KEYCLOAK_VERSION} at ${url} on the database ${databaseName} (log in ${relative(logFile)}${firstStart})`);
  fs.appendFileSync(logFile, `\n--- ${new Date().toISOString()} ${path.join(home, 'bin', 'kc.sh')} ${args.join(' ')}\n`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(path.join(home, 'bin', 'kc.sh'), args, { cwd: stateDir, stdio: ['ignore', out, out], env });
  fs.closeSync(out);
  // kc.sh hands SIGTERM on to its Java process.
  const stop = childStopper(child, 'SIGTERM', () => log('Keycloak: stopped'));

  let clientSecrets;
  try {
    await waitUntil(240_000, child, () => answers(`${url}/realms/master/.well-known/openid-configuration`));
    const adminApi = await AdminApi.signIn(url, admin, stateDir);
    await ensureRealm(adminApi, log);
    clientSecrets = await serviceClientSecrets(adminApi);
    if (!(await answers(`${issuer}/.well-known/openid-configuration`))) throw new Error(`the realm ${HANDOFFS_REALM} does not answer at ${issuer}`);
  } catch (error) {
    await stop();
    throw new Error(`Keycloak: ${error.message}\nLast lines of ${logFile}:\n${tail(logFile)}`);
  }
  log(`Keycloak: ready at ${url}, realm ${HANDOFFS_REALM} (${secondsSince(started)})`);
  return { issuer, url, admin: { ...admin, passwordFile: path.join(stateDir, 'admin-password') }, clientSecrets, logFile, stop };
}

async function answers(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** A secret kept in `file` (mode 0600), made on first use. */
function keptSecret(file, log) {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = randomBytes(24).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  log(`Keycloak: created ${relative(file)} (mode 0600), the password of its admin user ${ADMIN_USERNAME}`);
  return secret;
}

/** The database `name` on the server `databaseUrl` names, created if missing (dropped first if `fresh`), as Keycloak's JDBC settings. */
async function createDatabase(databaseUrl, name, { fresh, log }) {
  const server = new URL(databaseUrl);
  const { default: pg } = await import('pg');
  const admin = new URL(server);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  let created = false;
  try {
    if (fresh) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      log(`Keycloak: creating database ${name}`);
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      created = true;
    }
  } catch (error) {
    throw new Error(`Keycloak: could not ${fresh ? 'recreate' : 'find or create'} the database ${name} on ${server.host}: ${error.message}`);
  } finally {
    await client.end();
  }
  return {
    created,
    jdbcUrl: `jdbc:postgresql://${server.hostname || '127.0.0.1'}:${server.port || '5432'}/${name}`,
    // Through the environment, not the command line that any process can list.
    username: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
  };
}

/** Keycloak's admin REST API, signed in as the admin user of the master realm. */
class AdminApi {
  static async signIn(url, { username, password }, stateDir) {
    const response = await fetch(`${url}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username, password }),
    });
    if (!response.ok) {
      throw new Error(
        `the admin password in ${relative(path.join(stateDir, 'admin-password'))} does not sign in to the master realm (${response.status}): ` +
          "Keycloak's database was set up with another one. Restore that file, or drop that database to start afresh.",
      );
    }
    return new AdminApi(url, (await response.json()).access_token);
  }

  constructor(url, token) {
    this.url = url;
    this.token = token;
  }

  /** `method` on /admin/realms`path`; resolves with the parsed answer, null for 404, and throws on any other failure. */
  async call(method, path, body) {
    const response = await fetch(`${this.url}/admin/realms${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 404 && method === 'GET') return null;
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /admin/realms${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : undefined;
  }
}

/**
 * Imports infra/keycloak/realm.json when the realm is missing, or when the file has changed since the
 * realm was imported from it (the realm records the file's SHA-256 in an attribute): then the realm is
 * deleted and imported afresh.
 */
async function ensureRealm(adminApi, log) {
  const text = fs.readFileSync(REALM_FILE, 'utf8');
  const hash = createHash('sha256').update(text).digest('hex');
  const current = await adminApi.call('GET', `/${HANDOFFS_REALM}`);
  if (current?.attributes?.[REALM_FILE_HASH_ATTRIBUTE] === hash) return;
  if (current) {
    log(`Keycloak: ${relative(REALM_FILE)} has changed since the realm ${HANDOFFS_REALM} was imported; importing it again (sessions end, changes made in the admin console are lost)`);
    await adminApi.call('DELETE', `/${HANDOFFS_REALM}`);
  } else {
    log(`Keycloak: importing the realm ${HANDOFFS_REALM} from ${relative(REALM_FILE)}`);
  }
  const realm = JSON.parse(text);
  realm.attributes = { ...realm.attributes, [REALM_FILE_HASH_ATTRIBUTE]: hash };
  await adminApi.call('POST', '', realm);
}

/** Every confidential client's secret, by client ID: Keycloak makes them at import; none is kept in the repository. */
async function serviceClientSecrets(adminApi) {
  const clients = await adminApi.call('GET', `/${HANDOFFS_REALM}/clients`);
  const secrets = {};
  for (const client of clients.filter(({ serviceAccountsEnabled, publicClient }) => serviceAccountsEnabled && !publicClient)) {
    const secret = await adminApi.call('GET', `/${HANDOFFS_REALM}/clients/${client.id}/client-secret`);
    secrets[client.clientId] = secret.value;
  }
  return secrets;
}
