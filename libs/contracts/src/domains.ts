/** The four domains of the city. Each owns its data, its HTTP API and its Temporal task queue (services.json). */
export const DOMAINS = ['immigration', 'job-centre', 'social-services', 'employment-agency-gateway'] as const;
export type Domain = (typeof DOMAINS)[number];

export function isDomain(value: unknown): value is Domain {
  return typeof value === 'string' && (DOMAINS as readonly string[]).includes(value);
}
