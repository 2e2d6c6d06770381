// Shared jest settings: TypeScript through SWC (with decorator metadata, as Nest needs) and the
// workspace's import aliases from tsconfig.base.json.
const { swcOptions, workspaceAliases } = require('./libs/build-support/src/index.cjs');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcOptions('commonjs')],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: Object.fromEntries(Object.entries(workspaceAliases()).map(([alias, target]) => [`^${alias}$`, target])),
};
