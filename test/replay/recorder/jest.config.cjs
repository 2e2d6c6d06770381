// The history recorder: not part of `npm test`. `npm run record:histories` runs it (scripts/record-histories.mjs).
module.exports = {
  ...require('../../../jest.preset.cjs'),
  displayName: 'record-histories',
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.spec.ts'],
  testTimeout: 120000,
};
