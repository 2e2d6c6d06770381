import { createHash, randomBytes } from 'node:crypto';
import { serviceEntry } from '@handoffs/contracts';
import { ConfigurationError } from '@handoffs/service-kit/http';
import { codecServerSettings } from './settings';
import { SupervisorTokens } from './supervisor-tokens';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

describe('codec server settings', () => {
  const valid = {
    PAYLOAD_ENCRYPTION_KEYS: `2026-11:${randomBytes(32).toString('base64')}`,
    CODEC_SUPERVISOR_TOKEN_HASHES: `sv.weber:${hash('token-of-weber')},sv.yilmaz:${hash('token-of-yilmaz')}`,
  };

  function problemsOf(env: NodeJS.ProcessEnv): string[] {
    try {
      codecServerSettings(env);
    } catch (error) {
      if (error instanceof ConfigurationError) return error.problems;
      throw error;
    }
    return [];
  }

  it('takes defaults for all but the keys and the supervisors', () => {
    expect(codecServerSettings(valid)).toMatchObject({ port: serviceEntry('codec-server').port, host: '0.0.0.0', allowedOrigins: [], sessionTtlMs: 8 * 3600 * 1000 });
  });

  it('names every problem at once, on a line of its own', () => {
    expect(
      problemsOf({
        CODEC_SERVER_PORT: 'http',
        CODEC_ALLOWED_ORIGINS: 'http://localhost:8233,http://localhost:8233/namespaces,localhost',
        CODEC_SESSION_TTL: 'forever',
      }),
    ).toEqual([
      expect.stringMatching(/^CODEC_SERVER_PORT/),
      expect.stringMatching(/^PAYLOAD_ENCRYPTION_KEYS is required/),
      expect.stringMatching(/^CODEC_SUPERVISOR_TOKEN_HASHES is required/),
      expect.stringMatching(/^CODEC_ALLOWED_ORIGINS: "http:\/\/localhost:8233\/namespaces" is not an origin/),
      expect.stringMatching(/^CODEC_ALLOWED_ORIGINS: "localhost" is not an origin/),
      expect.stringMatching(/^CODEC_SESSION_TTL/),
    ]);
  });

  it('refuses supervisor entries that are not <id>:<sha256 hex>, repeated ids and shared tokens', () => {
    const problems = problemsOf({
      ...valid,
      CODEC_SUPERVISOR_TOKEN_HASHES: `sv.weber:plain-token,sv.weber:${hash('a')},sv.weber:${hash('b')},sv.other:${hash('a')}`,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^CODEC_SUPERVISOR_TOKEN_HASHES: entry 1 must be <supervisor id>:<sha256 hex/),
      'CODEC_SUPERVISOR_TOKEN_HASHES: supervisor "sv.weber" appears more than once',
      'CODEC_SUPERVISOR_TOKEN_HASHES: supervisors "sv.weber" and "sv.other" share a token',
    ]);
    expect(problems.join('\n')).not.toContain('plain-token');
  });

  it('knows each supervisor by their token and nobody by anything else', () => {
    const { tokens } = SupervisorTokens.parse(valid.CODEC_SUPERVISOR_TOKEN_HASHES);
    expect(tokens?.identify('token-of-weber')).toBe('sv.weber');
    expect(tokens?.identify('token-of-yilmaz')).toBe('sv.yilmaz');
    expect(tokens?.identify(hash('token-of-weber'))).toBeUndefined();
    expect(tokens?.identify('')).toBeUndefined();
  });
});
