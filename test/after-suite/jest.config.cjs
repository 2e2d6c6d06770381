// The after-suite: what `npm test` runs once every other test is done, against the same Temporal
// server, so that it sees every workflow they left there (scripts/npm-test.mjs).
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'after-suite',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testTimeout: 600000,
};
