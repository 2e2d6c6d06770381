import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { DEFAULT_STEP_POLICY, domainService, HANDOFF_KINDS, type Domain, type SlaOverrides, type StepPolicy } from '@handoffs/contracts';
import { PayloadKeySet } from '@handoffs/temporal';
import { ConfigurationError } from './configuration-error';

export { ConfigurationError } from './configuration-error';

/** Nest injection token of the service's ServiceConfig. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

export interface ServiceConfig {
  domain: Domain;
  host: string;
  port: number;
  databaseUrl: string;
  /** The PostgreSQL schema this service owns; no other service reads it. */
  databaseSchema: string;
  temporalAddress: string;
  temporalNamespace: string;
  workflowBundlePath?: string;
  shutdownGraceTime: Duration;
  slaOverrides: SlaOverrides;
  /** When a step of the handoffs this service starts counts as stuck (domain unavailable, step failing). */
  stepPolicy: StepPolicy;
  /** The keys that encrypt payloads, memos and failure messages (`PAYLOAD_ENCRYPTION_KEYS`, required). */
  payloadKeys: PayloadKeySet;
}

/** `job-centre` → `JOB_CENTRE`, the prefix of a domain's own environment variables. */
export function envPrefix(domain: Domain): string {
  return domain.toUpperCase().replace(/-/g, '_');
}

/** Reads and validates a service's configuration from the environment; names every problem at once. */
export function loadServiceConfig(domain: Domain, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const problems: string[] = [];
  const service = domainService(domain);
  const portVariable = `${envPrefix(domain)}_PORT`;
  const rawPort = env[portVariable] ?? env.PORT ?? String(service.port);
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    problems.push(`${portVariable} (or PORT) must be a TCP port between 1 and 65535, got "${rawPort}"`);
  }

  const databaseUrl = env.DATABASE_URL ?? '';
  if (!/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a PostgreSQL URL, e.g. postgres://user:password@localhost:5432/handoffs');
  }

  const temporalAddress = env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  if (!/^[\w.-]+:\d{1,5}$/.test(temporalAddress)) {
    problems.push(`TEMPORAL_ADDRESS must be host:port, got "${temporalAddress}"`);
  }

  const shutdownGraceTime = (env.SHUTDOWN_GRACE_TIME ?? '20 seconds') as Duration;
  let slaOverrides: SlaOverrides = {};
  if (env.SLA_OVERRIDES) {
    try {
      slaOverrides = JSON.parse(env.SLA_OVERRIDES) as SlaOverrides;
      const unknown = Object.keys(slaOverrides).filter((kind) => !(HANDOFF_KINDS as readonly string[]).includes(kind));
      if (unknown.length > 0) {
        problems.push(`SLA_OVERRIDES names unknown handoff kinds: ${unknown.join(', ')}`);
      }
    } catch {
      problems.push('SLA_OVERRIDES must be JSON, e.g. {"status-inquiry-answer":"30 seconds"}');
    }
  }

  const stepPolicy: StepPolicy = {
    pickupWithin: env.STEP_PICKUP_WITHIN ?? DEFAULT_STEP_POLICY.pickupWithin,
    failingAfterAttempts: Number(env.STEP_FAILING_AFTER_ATTEMPTS ?? DEFAULT_STEP_POLICY.failingAfterAttempts),
  };
  if (!isPositiveDuration(stepPolicy.pickupWithin)) {
    problems.push(`STEP_PICKUP_WITHIN must be a duration like "5 minutes", got "${stepPolicy.pickupWithin}"`);
  }
  if (!Number.isInteger(stepPolicy.failingAfterAttempts) || stepPolicy.failingAfterAttempts < 1 || stepPolicy.failingAfterAttempts > 100) {
    problems.push(`STEP_FAILING_AFTER_ATTEMPTS must be a whole number from 1 to 100, got "${env.STEP_FAILING_AFTER_ATTEMPTS}"`);
  }

  // Without keys, personal data would reach Temporal's history in plain text: no service starts so.
  const { keySet: payloadKeys, problems: keyProblems } = PayloadKeySet.parse(env.PAYLOAD_ENCRYPTION_KEYS);
  problems.push(...keyProblems);

  if (problems.length > 0 || !payloadKeys) {
    throw new ConfigurationError(problems);
  }
  return {
    domain,
    host: env.HOST ?? '0.0.0.0',
    port,
    databaseUrl,
    databaseSchema: service.schema,
    temporalAddress,
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    workflowBundlePath: env.WORKFLOW_BUNDLE_PATH,
    shutdownGraceTime,
    slaOverrides,
    stepPolicy,
    payloadKeys,
  };
}

function isPositiveDuration(value: string): boolean {
  try {
    return msToNumber(value as Duration) > 0;
  } catch {
    return false;
  }
}
