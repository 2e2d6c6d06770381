import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachePath, exe, goBuild, isExecutable, requiredVersion, which } from './go-build.mjs';

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const MODULE_DIR = path.join(ROOT, 'infra', 'temporal-cli');
const CLI_PACKAGE = 'github.com/temporalio/cli';

export const TEMPORAL_CLI_VERSION = requiredVersion(MODULE_DIR, CLI_PACKAGE);

export function cachedCliPath() {
  return cachePath(`temporal-cli-${TEMPORAL_CLI_VERSION}`, exe('temporal'));
}

/**
 * Returns the absolute path of a Temporal CLI, or null when none is available and
 * TEMPORAL_CLI_ALLOW_DOWNLOAD=1 lets the SDK download a dev server instead.
 */
export async function ensureTemporalCli({ log = console.error } = {}) {
  const cli = await findOrBuild(log);
  if (cli) linkIntoTools(cli, log);
  return cli;
}

async function findOrBuild(log) {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    const cli = path.resolve(fromEnv);
    if (!isExecutable(cli)) throw new Error(`TEMPORAL_CLI_PATH=${fromEnv} is not an executable file`);
    log(`Temporal CLI: using $TEMPORAL_CLI_PATH (${cli})`);
    return cli;
  }

  const onPath = which('temporal');
  if (onPath) {
    const version = reportedVersion(onPath);
    if (version === TEMPORAL_CLI_VERSION) {
      log(`Temporal CLI: using ${onPath} from PATH (${version})`);
      return onPath;
    }
    log(`Temporal CLI: not using ${onPath} from PATH: it reports ${version ?? 'no version'}, the project pins ${TEMPORAL_CLI_VERSION}`);
  }

  const cached = cachedCliPath();
  if (isExecutable(cached)) {
    log(`Temporal CLI: using the ${TEMPORAL_CLI_VERSION} build in ${cached}`);
    return cached;
  }

  const go = which('go');
  if (go) return buildWithGo(go, cached, log);

  if (process.env.TEMPORAL_CLI_ALLOW_DOWNLOAD === '1') {
    log('Temporal CLI: none found and no Go toolchain; TEMPORAL_CLI_ALLOW_DOWNLOAD=1, so the Temporal SDK will download a dev server');
    return null;
  }
  throw new Error(
    [
      `No Temporal CLI found (looked at $TEMPORAL_CLI_PATH, \`temporal\` on PATH, ${cached}) and \`go\` is not on PATH. Any one of these fixes it:`,
      `  - install Go (https://go.dev/dl/) and run again: the pinned CLI ${TEMPORAL_CLI_VERSION} is then built from infra/temporal-cli once and cached;`,
      `  - install Temporal CLI ${TEMPORAL_CLI_VERSION} (https://github.com/temporalio/cli/releases) and put \`temporal\` on PATH or set TEMPORAL_CLI_PATH to it;`,
      '  - set TEMPORAL_CLI_ALLOW_DOWNLOAD=1 to let the Temporal SDK download a dev server (needs internet; `npm run temporal` is then unavailable).',
    ].join('\n'),
  );
}

async function buildWithGo(go, target, log) {
  log(`Temporal CLI: building ${TEMPORAL_CLI_VERSION} from the Go module proxy; the first build takes a few minutes …`);
  const started = Date.now();
  try {
    await goBuild({
      go,
      moduleDir: MODULE_DIR,
      pkg: `${CLI_PACKAGE}/cmd/temporal`,
      target,
      // Release builds stamp the version this way; without it `temporal --version` says 0.0.0-DEV.
      ldflags: `-X ${CLI_PACKAGE}/temporalcli.Version=${TEMPORAL_CLI_VERSION.slice(1)}`,
    });
  } catch (error) {
    throw new Error(`Temporal CLI: ${error.message}`);
  }
  log(`Temporal CLI: built ${target} in ${Math.round((Date.now() - started) / 1000)} s`);
  return target;
}

function linkIntoTools(cli, log) {
  const link = path.join(ROOT, '.tools', exe('temporal'));
  try {
    if (fs.readlinkSync(link) === cli) return;
  } catch {
    // missing or not a symlink: (re)create it
  }
  try {
    fs.mkdirSync(path.dirname(link), { recursive: true });
    const tmp = `${link}.tmp-${process.pid}`;
    fs.rmSync(tmp, { force: true });
    fs.symlinkSync(cli, tmp);
    fs.renameSync(tmp, link);
    log(`Temporal CLI: linked .tools/${path.basename(link)} -> ${cli}`);
  } catch (error) {
    log(`Temporal CLI: could not link .tools/${path.basename(link)} (${error.message})`);
  }
}

function reportedVersion(cli) {
  try {
    const output = execFileSync(cli, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    const match = output.match(/version v?(\S+)/);
    return match ? `v${match[1]}` : null;
  } catch {
    return null;
  }
}
