import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

export function ensureInstalled({ log = console.error, root = ROOT } = {}) {
  const lockHash = createHash('sha256').update(fs.readFileSync(path.join(root, 'package-lock.json'))).digest('hex');
  const stampFile = path.join(root, 'node_modules', '.install-stamp');
  if (!fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
    log('Dependencies: node_modules is missing; running npm ci …');
  } else if (readStamp(stampFile) !== lockHash) {
    log('Dependencies: package-lock.json changed since the last install; running npm ci …');
  } else {
    return;
  }
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    throw new Error(`Dependencies: npm ci failed (${result.error?.message ?? `exit code ${result.status ?? result.signal}`})`);
  }
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  fs.writeFileSync(stampFile, `${lockHash}\n`);
}

function readStamp(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}
