// The whole suite, as `npm test` runs it: every project's tests, then nothing else.
module.exports = {
  // Project configs' testTimeout is not read in a multi-project run; the end-to-end tests restart services.
  testTimeout: 180000,
  projects: [
    '<rootDir>/libs/contracts',
    '<rootDir>/libs/handoff-records',
    '<rootDir>/libs/service-kit',
    '<rootDir>/libs/temporal',
    '<rootDir>/workflows',
    '<rootDir>/services/immigration',
    '<rootDir>/services/job-centre',
    '<rootDir>/services/social-services',
    '<rootDir>/services/employment-agency-gateway',
    '<rootDir>/test',
    '<rootDir>/test/replay',
    '<rootDir>/services/agency-simulator',
    '<rootDir>/services/codec-server',
  ],
};
