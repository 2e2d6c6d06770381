// The fault tests: the services, a Temporal dev server and PostgreSQL of their own, each broken in
// turn while handoffs are in flight (scripts/npm-test.mjs runs them as a phase of their own).
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'faults',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.spec.ts'],
  // Each fault: start a batch, break something, wait for every handoff (each wait has its own, shorter bound).
  testTimeout: 300_000,
};
