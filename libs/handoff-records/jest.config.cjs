module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'handoff-records',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testTimeout: 60000,
};
