import type { Domain } from './domains';

/**
 * The roles a person or a service holds in the city's identity provider (infra/keycloak/realm.json),
 * carried in the access token's `roles` claim beside its `domain`.
 */
export const ROLES = [
  'caseworker',
  'team-lead',
  'head-of-department',
  /** Immigration enforcement (Vollzug): the only office that sees a deportation date. */
  'enforcement',
  /** The youth welfare's social worker (KSD) in social services. */
  'ksd-social-worker',
  'data-protection-officer',
  'supervisor',
  /** A domain's service acting for itself (client credentials), never a person. */
  'service',
] as const;
export type Role = (typeof ROLES)[number];

/** The audience every service verifies in an access token. */
export const SERVICES_AUDIENCE = 'handoffs-services';

/** Who acts, as a verified token proves it: the staff ID (or service), its domain, its roles. */
export interface Principal {
  subject: string;
  domain: Domain | null;
  roles: Role[];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
