/** The four domains of the city. Each owns its data, its HTTP API and its Temporal task queue. */
export const DOMAINS = ['immigration', 'job-centre', 'social-services', 'employment-agency-gateway'] as const;
export type Domain = (typeof DOMAINS)[number];

export const DOMAIN_NAMES: Record<Domain, string> = {
  immigration: 'immigration office (Ausländerbehörde)',
  'job-centre': 'job centre (Jobcenter, SGB II)',
  'social-services': 'social services (Sozialamt, AsylbLG, youth welfare)',
  'employment-agency-gateway': 'employment agency (Agentur für Arbeit, SGB III)',
};

/** A domain's task queue carries its name, so a domain that is down makes exactly its own steps wait. */
export function taskQueueOf(domain: Domain): string {
  return domain;
}

export function isDomain(value: unknown): value is Domain {
  return typeof value === 'string' && (DOMAINS as readonly string[]).includes(value);
}
