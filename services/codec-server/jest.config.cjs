module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'codec-server',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testTimeout: 60000,
};
