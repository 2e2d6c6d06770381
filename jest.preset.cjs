// Shared jest settings: TypeScript through SWC (with decorator metadata, as Nest needs) and the
// workspace's import aliases from tsconfig.base.json.
const { workspaceAliases } = require('./scripts/lib/ts-paths.cjs');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: Object.fromEntries(Object.entries(workspaceAliases()).map(([alias, target]) => [`^${alias}$`, target])),
};
