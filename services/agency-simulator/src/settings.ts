import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { AGENCY_PROGRAMMES, serviceEntry, transportPortOf, type AgencyProgramme } from '@handoffs/contracts';

export const SIMULATOR_SETTINGS = Symbol('SIMULATOR_SETTINGS');

export interface SimulatorSettings {
  host: string;
  /** HTTP, for /health only. */
  httpPort: number;
  /** The TCP transport on which the gateway sends referrals. */
  transportPort: number;
  /** The gateway's TCP listener, where answers go. */
  gatewayHost: string;
  gatewayPort: number;
  /** How long the agency takes to decide. */
  answerDelayMs: number;
  /** How soon an answer the gateway did not acknowledge is sent again. */
  answerRetryMs: number;
  /** Programmes without places: referrals to them are refused with `no-programme-capacity`. */
  fullProgrammes: AgencyProgramme[];
  /** Programmes whose desk takes referrals and never answers: the handoff waits on a silent agency. */
  silentProgrammes: AgencyProgramme[];
  /** Programmes whose intake answers every referral with a system error: the gateway's step keeps failing. */
  failingProgrammes: AgencyProgramme[];
}

function programmes(value: string | undefined, name: string): AgencyProgramme[] {
  const listed = (value ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const unknown = listed.filter((p) => !(AGENCY_PROGRAMMES as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`${name} names unknown programmes: ${unknown.join(', ')}`);
  return listed as AgencyProgramme[];
}

function port(value: string | undefined, fallback: number, name: string): number {
  const parsed = Number(value ?? fallback);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) throw new Error(`${name} must be a TCP port, got "${value}"`);
  return parsed;
}

function duration(value: string | undefined, fallback: string, name: string): number {
  const raw = value ?? fallback;
  try {
    return /^\d+$/.test(raw) ? Number(raw) : msToNumber(raw as Duration);
  } catch {
    throw new Error(`${name} must be milliseconds or a duration like "3 seconds", got "${raw}"`);
  }
}

export function simulatorSettings(env: NodeJS.ProcessEnv = process.env): SimulatorSettings {
  const gateway = /^([\w.-]+):(\d{1,5})$/.exec(env.AGENCY_GATEWAY_ADDRESS ?? `127.0.0.1:${transportPortOf('employment-agency-gateway')}`);
  if (!gateway) throw new Error(`AGENCY_GATEWAY_ADDRESS must be host:port, got "${env.AGENCY_GATEWAY_ADDRESS}"`);
  return {
    host: env.HOST ?? '0.0.0.0',
    httpPort: port(env.AGENCY_SIMULATOR_PORT ?? env.PORT, serviceEntry('agency-simulator').port, 'AGENCY_SIMULATOR_PORT (or PORT)'),
    transportPort: port(env.AGENCY_TRANSPORT_PORT, transportPortOf('agency-simulator'), 'AGENCY_TRANSPORT_PORT'),
    gatewayHost: gateway[1],
    gatewayPort: Number(gateway[2]),
    answerDelayMs: duration(env.AGENCY_ANSWER_DELAY, '3 seconds', 'AGENCY_ANSWER_DELAY'),
    answerRetryMs: duration(env.AGENCY_ANSWER_RETRY, '1 second', 'AGENCY_ANSWER_RETRY'),
    fullProgrammes: programmes(env.AGENCY_FULL_PROGRAMMES, 'AGENCY_FULL_PROGRAMMES'),
    silentProgrammes: programmes(env.AGENCY_SILENT_PROGRAMMES, 'AGENCY_SILENT_PROGRAMMES'),
    failingProgrammes: programmes(env.AGENCY_FAILING_PROGRAMMES, 'AGENCY_FAILING_PROGRAMMES'),
  };
}
