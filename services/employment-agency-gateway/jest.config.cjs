module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'employment-agency-gateway',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // A set-up that specs share: named *.spec.ts, as test code, but no suite of its own.
  testPathIgnorePatterns: ['/node_modules/', '\\.setup\\.spec\\.ts$'],
  testTimeout: 60000,
};
