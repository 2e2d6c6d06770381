import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { serviceEntry } from '@handoffs/contracts';
import { ConfigurationError } from '@handoffs/service-kit/http';
import { PayloadKeySet } from '@handoffs/temporal/codec';
import { SupervisorTokens } from './supervisor-tokens';

export const DEFAULT_CODEC_SERVER_PORT = serviceEntry('codec-server').port;

/** Injection token of the codec server's settings. */
export const CODEC_SERVER_SETTINGS = Symbol('CODEC_SERVER_SETTINGS');

export interface CodecServerSettings {
  host: string;
  port: number;
  /** The same key set the services encrypt with (every key decodes; the first encodes). */
  payloadKeys: PayloadKeySet;
  supervisors: SupervisorTokens;
  /** The Web UI origins allowed to call from a browser (CORS); no other origin gets a grant. */
  allowedOrigins: string[];
  /** How long a login through /login lasts. */
  sessionTtlMs: number;
}

function originProblem(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin) return undefined;
  } catch {
    // named below
  }
  return `CODEC_ALLOWED_ORIGINS: "${origin}" is not an origin like http://localhost:8233 (scheme, host, port; no path)`;
}

/** Reads and validates the codec server's configuration from the environment; names every problem at once. */
export function codecServerSettings(env: NodeJS.ProcessEnv = process.env): CodecServerSettings {
  const problems: string[] = [];
  const rawPort = env.CODEC_SERVER_PORT ?? env.PORT ?? String(DEFAULT_CODEC_SERVER_PORT);
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    problems.push(`CODEC_SERVER_PORT (or PORT) must be a TCP port between 1 and 65535, got "${rawPort}"`);
  }

  const { keySet: payloadKeys, problems: keyProblems } = PayloadKeySet.parse(env.PAYLOAD_ENCRYPTION_KEYS);
  problems.push(...keyProblems);
  const { tokens: supervisors, problems: tokenProblems } = SupervisorTokens.parse(env.CODEC_SUPERVISOR_TOKEN_HASHES);
  problems.push(...tokenProblems);

  const allowedOrigins = (env.CODEC_ALLOWED_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  problems.push(...allowedOrigins.map(originProblem).filter((problem): problem is string => problem !== undefined));

  const rawTtl = env.CODEC_SESSION_TTL ?? '8 hours';
  let sessionTtlMs = 0;
  try {
    sessionTtlMs = msToNumber(rawTtl as Duration);
  } catch {
    // named below
  }
  if (!(sessionTtlMs > 0)) {
    problems.push(`CODEC_SESSION_TTL must be a duration like "8 hours", got "${rawTtl}"`);
  }

  if (problems.length > 0 || !payloadKeys || !supervisors) {
    throw new ConfigurationError(problems);
  }
  return { host: env.HOST ?? '0.0.0.0', port, payloadKeys, supervisors, allowedOrigins, sessionTtlMs };
}
