import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { transportPortOf } from '@handoffs/contracts';

/** Where the gateway listens for the agency's answers, and where it reaches the agency's system. */
export interface AgencyTransportSettings {
  listenHost: string;
  listenPort: number;
  agencyHost: string;
  agencyPort: number;
  /** How long the agency's system has to acknowledge a submission. */
  sendTimeoutMs: number;
}

function hostPort(value: string, name: string): [string, number] {
  const match = /^([\w.-]+):(\d{1,5})$/.exec(value);
  if (!match) {
    throw new Error(`${name} must be host:port, got "${value}"`);
  }
  return [match[1], Number(match[2])];
}

export function agencyTransportSettings(env: NodeJS.ProcessEnv = process.env): AgencyTransportSettings {
  const listenPort = Number(env.EMPLOYMENT_AGENCY_GATEWAY_TRANSPORT_PORT ?? transportPortOf('employment-agency-gateway'));
  if (!Number.isInteger(listenPort) || listenPort < 1 || listenPort > 65535) {
    throw new Error(`EMPLOYMENT_AGENCY_GATEWAY_TRANSPORT_PORT must be a TCP port, got "${env.EMPLOYMENT_AGENCY_GATEWAY_TRANSPORT_PORT}"`);
  }
  const [agencyHost, agencyPort] = hostPort(env.AGENCY_ADDRESS ?? `127.0.0.1:${transportPortOf('agency-simulator')}`, 'AGENCY_ADDRESS');
  return { listenHost: env.HOST ?? '0.0.0.0', listenPort, agencyHost, agencyPort, sendTimeoutMs: 10000 };
}

/** The gateway's listener for the agency's answers: the TCP transport of @nestjs/microservices. */
export function agencyListenerOptions(settings: AgencyTransportSettings): MicroserviceOptions {
  return { transport: Transport.TCP, options: { host: settings.listenHost, port: settings.listenPort } };
}
