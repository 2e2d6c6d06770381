module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'employment-agency-gateway',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testTimeout: 60000,
};
