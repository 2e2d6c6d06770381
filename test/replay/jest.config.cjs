// Replay of the recorded histories (test/replay/<process>/*.json) against the current workflow code,
// and the proof that an incompatible change is caught. The recorder (recorder/) is not part of it.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'replay',
  rootDir: __dirname,
  testMatch: ['<rootDir>/*.spec.ts'],
  testTimeout: 180000,
};
