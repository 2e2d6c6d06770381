import { ConfigurationError, loadServiceConfig } from './config';

describe('service configuration', () => {
  const valid = { DATABASE_URL: 'postgres://u:p@localhost:5432/handoffs' };

  it('takes defaults for everything but the database', () => {
    expect(loadServiceConfig('job-centre', valid)).toMatchObject({
      port: 3002,
      databaseSchema: 'job_centre',
      temporalAddress: '127.0.0.1:7233',
      temporalNamespace: 'default',
      slaOverrides: {},
      stepPolicy: { pickupWithin: '5 minutes', failingAfterAttempts: 5 },
    });
  });

  it('takes the step policy that decides when a handoff counts as stuck', () => {
    const config = loadServiceConfig('job-centre', { ...valid, STEP_PICKUP_WITHIN: '20 seconds', STEP_FAILING_AFTER_ATTEMPTS: '3' });
    expect(config.stepPolicy).toEqual({ pickupWithin: '20 seconds', failingAfterAttempts: 3 });
  });

  it("prefers the domain's own port variable over PORT", () => {
    expect(loadServiceConfig('immigration', { ...valid, PORT: '9000', IMMIGRATION_PORT: '9001' }).port).toBe(9001);
    expect(loadServiceConfig('immigration', { ...valid, PORT: '9000' }).port).toBe(9000);
  });

  it('names every problem at once', () => {
    const attempt = () =>
      loadServiceConfig('social-services', {
        SOCIAL_SERVICES_PORT: 'eighty',
        TEMPORAL_ADDRESS: 'nowhere',
        SLA_OVERRIDES: '{"coffee-break":"5 minutes"}',
        STEP_PICKUP_WITHIN: 'soon',
        STEP_FAILING_AFTER_ATTEMPTS: '0',
      });
    expect(attempt).toThrow(ConfigurationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigurationError).problems).toEqual([
        expect.stringMatching(/^SOCIAL_SERVICES_PORT/),
        expect.stringMatching(/^DATABASE_URL/),
        expect.stringMatching(/^TEMPORAL_ADDRESS/),
        expect.stringMatching(/^SLA_OVERRIDES names unknown handoff kinds: coffee-break/),
        expect.stringMatching(/^STEP_PICKUP_WITHIN must be a duration/),
        expect.stringMatching(/^STEP_FAILING_AFTER_ATTEMPTS must be a whole number from 1 to 100/),
      ]);
    }
  });
});
