module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'agency-simulator',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testTimeout: 60000,
};
