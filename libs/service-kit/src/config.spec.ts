import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { domainService } from '@handoffs/contracts';
import { ConfigurationError, loadServiceConfig } from './config';

describe('service configuration', () => {
  const key = (bytes = 32) => randomBytes(bytes).toString('base64');
  const keys = `2026-11:${key()},2026-05:${key()}`;
  const valid = { DATABASE_URL: 'postgres://u:p@localhost:5432/handoffs', PAYLOAD_ENCRYPTION_KEYS: keys };

  function problemsOf(env: NodeJS.ProcessEnv): string[] {
    try {
      loadServiceConfig('job-centre', env);
    } catch (error) {
      if (error instanceof ConfigurationError) return error.problems;
      throw error;
    }
    return [];
  }

  it('takes defaults for everything but the database', () => {
    expect(loadServiceConfig('job-centre', valid)).toMatchObject({
      port: domainService('job-centre').port,
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
        PAYLOAD_ENCRYPTION_KEYS: keys,
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

  it('takes the payload keys, the first as the current one, and never shows their material', () => {
    const { payloadKeys } = loadServiceConfig('job-centre', valid);
    expect(payloadKeys.currentKeyId).toBe('2026-11');
    expect(payloadKeys.keyIds).toEqual(['2026-11', '2026-05']);
    const material = keys.split(',').map((entry) => entry.split(':')[1]);
    for (const shown of [JSON.stringify(payloadKeys), inspect(payloadKeys), JSON.stringify(loadServiceConfig('job-centre', valid))]) {
      for (const secret of material) expect(shown).not.toContain(secret);
    }
  });

  it('refuses to start without payload keys: personal data would reach the history in plain text', () => {
    expect(problemsOf({ ...valid, PAYLOAD_ENCRYPTION_KEYS: undefined })).toEqual([expect.stringMatching(/^PAYLOAD_ENCRYPTION_KEYS is required/)]);
    expect(problemsOf({ ...valid, PAYLOAD_ENCRYPTION_KEYS: ' , ' })).toEqual([expect.stringMatching(/^PAYLOAD_ENCRYPTION_KEYS is required/)]);
  });

  it('names each bad payload key on a line of its own, without its material', () => {
    const notBase64 = 'not*base64!';
    const short = key(16);
    const problems = problemsOf({
      ...valid,
      PAYLOAD_ENCRYPTION_KEYS: `current:${key()},old:${notBase64},older:${short},current:${key()},${key()},bad id:${key()}`,
    });
    expect(problems).toEqual([
      'PAYLOAD_ENCRYPTION_KEYS: key "old" is not base64',
      'PAYLOAD_ENCRYPTION_KEYS: key "older" has 16 bytes; AES-256 needs 32',
      'PAYLOAD_ENCRYPTION_KEYS: key id "current" appears more than once',
      expect.stringMatching(/^PAYLOAD_ENCRYPTION_KEYS: entry 5 must be <key id>:<base64 key>/),
      expect.stringMatching(/^PAYLOAD_ENCRYPTION_KEYS: entry 6 must be <key id>:<base64 key>/),
    ]);
    expect(problems.join('\n')).not.toContain(notBase64);
    expect(problems.join('\n')).not.toContain(short);
  });
});
