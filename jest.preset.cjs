// Shared jest settings: TypeScript through SWC (with decorator metadata, as Nest needs) and the
// workspace's import aliases from tsconfig.base.json.
const { workspaceAliases } = require('./scripts/lib/ts-paths.cjs');

module.exports = {
  testEnvironment: 'node',
  // content-disposition (under @fastify/static, which serves /docs) ships ESM only; jest on Node 20 needs it compiled.
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  transform: {
    '^.+\\.(ts|js)$': [
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
