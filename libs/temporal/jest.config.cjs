module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'temporal',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testTimeout: 60000,
};
