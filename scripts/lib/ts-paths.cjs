// The workspace's import aliases, read from tsconfig.base.json so that jest, webpack and the
// Temporal workflow bundler resolve `@handoffs/*` exactly as the TypeScript compiler does.
const fs = require('node:fs');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');

function workspaceAliases() {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tsconfig.base.json'), 'utf8'));
  return Object.fromEntries(
    Object.entries(tsconfig.compilerOptions.paths).map(([alias, [target]]) => [alias, path.join(repoRoot, target)]),
  );
}

module.exports = { repoRoot, workspaceAliases };
