module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'workflows',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testTimeout: 60000,
};
