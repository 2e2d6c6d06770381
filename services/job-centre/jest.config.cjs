module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'job-centre',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testTimeout: 60000,
};
