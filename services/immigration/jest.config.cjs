module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'immigration',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testTimeout: 60000,
};
