import roster from './services.json';
import { DOMAINS, type Domain } from './domains';

/** What runs as a process of its own: a domain's service, the codec server, or the employment agency's system simulated. */
export type ServiceName = Domain | 'codec-server' | 'agency-simulator';

/** How a service is deployed (scripts/write-deploy-files.mjs writes its Dockerfile and manifests from this). */
export interface ServiceDeployment {
  /** One line on what it is, for the Dockerfile and the Deployment's description. */
  what: string;
  replicas: number;
  /** The Kubernetes name of its transport port, if it has one. */
  transportPortName?: string;
  /** Configuration beside HOST, PORT and Temporal's. */
  config?: Record<string, string>;
  /** Environment variables from Kubernetes secrets: variable → [secret, key]. */
  secrets?: Record<string, [string, string]>;
  /** `false`: it gets no payload keys (it never reads a payload). */
  payloadKeys?: false;
}

/** One deployable service as the roster (services.json) lists it: the one place its port and role are written. */
export interface ServiceEntry {
  name: ServiceName;
  /** How the README and `npm start` name it. */
  title: string;
  /** How handoffs name the authority a domain's service stands for, where that is not its title. */
  authority?: string;
  domain: Domain | null;
  /** Its HTTP port, where /health is, unless the environment names another. */
  port: number;
  /** Whether it owns processes: it runs their workflows on its task queue and ships the workflow bundle. */
  hostsWorkflows: boolean;
  /** The PostgreSQL schema it owns; no other service reads it. */
  schema: string | null;
  taskQueue: string | null;
  /** Its page for a person: the OpenAPI docs, the codec server's login, the simulator's health. */
  homePage: string;
  /** The TCP transport beside HTTP: where the gateway hears the agency's answers, where the agency takes referrals. */
  transportPort?: number;
  /** The Nx scope its project is tagged with (the simulator belongs to the gateway's). */
  scope: string;
  deploy: ServiceDeployment;
}

/** A domain's service: it owns a schema and a task queue. */
export interface DomainServiceEntry extends ServiceEntry {
  domain: Domain;
  schema: string;
  taskQueue: string;
}

/** Every deployable service, in the order the README and `npm start` list them. */
export const SERVICE_ROSTER = roster as readonly ServiceEntry[];

export const domainServices = SERVICE_ROSTER.filter((entry): entry is DomainServiceEntry => entry.domain !== null);

export function serviceEntry(name: ServiceName): ServiceEntry {
  const entry = SERVICE_ROSTER.find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`${name} is not in the service roster (libs/contracts/src/services.json)`);
  return entry;
}

export function domainService(domain: Domain): DomainServiceEntry {
  const entry = domainServices.find((candidate) => candidate.domain === domain);
  if (!entry) throw new Error(`The domain ${domain} has no service in the roster (libs/contracts/src/services.json)`);
  return entry;
}

/** The port of a service's TCP transport (the gateway's and the agency's); a service without one is a mistake here. */
export function transportPortOf(name: ServiceName): number {
  const { transportPort } = serviceEntry(name);
  if (transportPort === undefined) throw new Error(`${name} has no transport port in the service roster (libs/contracts/src/services.json)`);
  return transportPort;
}

/** How handoffs name each domain: its service's title, or the authority it stands for. */
export const DOMAIN_NAMES = Object.fromEntries(
  DOMAINS.map((domain) => {
    const { authority, title } = domainService(domain);
    return [domain, authority ?? title];
  }),
) as Record<Domain, string>;

/** A domain's task queue carries its name, so a domain that is down makes exactly its own steps wait. */
export function taskQueueOf(domain: Domain): string {
  return domainService(domain).taskQueue;
}
