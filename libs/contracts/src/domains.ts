import { domainService } from './service-roster';

/** The four domains of the city. Each owns its data, its HTTP API and its Temporal task queue (services.json). */
export const DOMAINS = ['immigration', 'job-centre', 'social-services', 'employment-agency-gateway'] as const;
export type Domain = (typeof DOMAINS)[number];

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

export function isDomain(value: unknown): value is Domain {
  return typeof value === 'string' && (DOMAINS as readonly string[]).includes(value);
}
