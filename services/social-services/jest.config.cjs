module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'social-services',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testTimeout: 60000,
};
