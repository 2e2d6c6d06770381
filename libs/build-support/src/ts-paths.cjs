// The workspace's import aliases, read from tsconfig.base.json so that jest, webpack and the
// Temporal workflow bundler resolve `@handoffs/*` exactly as the TypeScript compiler does.
const fs = require('node:fs');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..', '..');

function workspaceAliases() {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tsconfig.base.json'), 'utf8'));
  // Longest first: webpack takes the first alias that matches as a prefix, so `@handoffs/temporal`
  // must not catch `@handoffs/temporal/payload-encryption`.
  return Object.fromEntries(
    Object.entries(tsconfig.compilerOptions.paths)
      .sort(([a], [b]) => b.length - a.length)
      .map(([alias, [target]]) => [alias, path.join(repoRoot, target)]),
  );
}

module.exports = { repoRoot, workspaceAliases };
