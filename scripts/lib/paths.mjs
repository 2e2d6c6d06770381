// Where the dev stack keeps things: the repository, its git-ignored state folder, and paths as messages show them.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot() {
  return path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
}

export function dataDir() {
  return path.join(repoRoot(), '.data');
}

export function relative(file) {
  const rel = path.relative(repoRoot(), file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}
