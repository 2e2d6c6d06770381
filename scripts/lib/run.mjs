import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Runs a command with inherited output; resolves with its exit code. */
export function run(command, args, { env = process.env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env, cwd });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Runs a command and fails loudly if it fails. */
export async function mustRun(what, command, args, options) {
  const code = await run(command, args, options);
  if (code !== 0) {
    throw new Error(`${what} failed (exit code ${code})`);
  }
}

/** Nx without its daemon or cloud: plain, repeatable runs in scripts and CI. */
export const NX_ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

/**
 * Runs jest with `config` (and `args`, e.g. test paths), its results written to `outputFile`;
 * a run that wrote no results counts as failed.
 */
export async function runJest({ config, outputFile, env, args = [] }) {
  const code = await run('npx', ['jest', '-c', config, '--maxWorkers=2', '--json', `--outputFile=${outputFile}`, ...args], { env });
  const results = existsSync(outputFile) ? JSON.parse(readFileSync(outputFile, 'utf8')) : { numPassedTests: 0, numFailedTests: 0 };
  return { ok: code === 0 && results.numFailedTests === 0, passed: results.numPassedTests, failed: results.numFailedTests };
}
