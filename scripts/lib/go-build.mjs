// Building the Temporal binaries from the Go module proxy: one wrapper module per tool under infra/
// pins the versions (go.mod) and every checksum (go.sum); the binaries land in a per-user cache
// keyed by version, so a fresh clone reuses them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `${XDG_CACHE_HOME:-~/.cache}/municipal-handoffs/<name>`. */
export function cachePath(...names) {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'municipal-handoffs', ...names);
}

/**
 * `go build` in `moduleDir`, read-only against its go.mod and go.sum, of `pkg` into `target`
 * (written beside it first and renamed, so that a build that fails or runs twice at once never leaves half a binary).
 */
export async function goBuild({ go, moduleDir, pkg, target, ldflags }) {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  const args = ['build', '-trimpath', '-mod=readonly', ...(ldflags ? ['-ldflags', ldflags] : []), '-o', tmp, pkg];
  const result = await new Promise((resolve, reject) => {
    const child = spawn(go, args, {
      cwd: moduleDir,
      stdio: ['ignore', 2, 2],
      env: { ...process.env, GOFLAGS: '-mod=readonly' },
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(signal ?? code));
  });
  if (result !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`\`go ${args.join(' ')}\` in ${moduleDir} failed (${result}); see go's output above`);
  }
  fs.renameSync(tmp, target);
}

/** The version of `module` that the wrapper module's go.mod requires. */
export function requiredVersion(moduleDir, module) {
  const goMod = fs.readFileSync(path.join(moduleDir, 'go.mod'), 'utf8');
  const match = goMod.match(new RegExp(`^\\s*(?:require\\s+)?${module.replaceAll('.', '\\.')} (v\\S+)`, 'm'));
  if (!match) throw new Error(`${path.join(moduleDir, 'go.mod')} does not require ${module}`);
  return match[1];
}

export function which(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, exe(name));
    if (dir && isExecutable(candidate)) return candidate;
  }
  return null;
}

export function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function exe(name) {
  return process.platform === 'win32' ? `${name}.exe` : name;
}
