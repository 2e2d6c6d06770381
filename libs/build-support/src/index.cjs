// How the workspace's TypeScript is built, shared by jest, the service builds and the Temporal workflow
// bundler: plain CommonJS, so that jest's config and the scripts load it as it is.
const { repoRoot, workspaceAliases } = require('./ts-paths.cjs');
const swcOptions = require('./swc-options.cjs');

module.exports = { repoRoot, swcOptions, workspaceAliases };
