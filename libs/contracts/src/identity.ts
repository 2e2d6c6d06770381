/**
 * What an access token of the identity provider says about its bearer (DESIGN.md §7): the realm
 * infra/keycloak/realm.json gives every person and every service these roles, in the claim `roles`,
 * their domain in the claim `domain` (none for a supervisor), and the audience services verify.
 */
export const ROLES = [
  'caseworker',
  'team-lead',
  'head-of-department',
  /** Immigration enforcement (Vollzug). */
  'enforcement',
  /** A social worker of youth welfare's KSD (Kommunaler Sozialer Dienst), in social services. */
  'ksd-social-worker',
  'data-protection-officer',
  'supervisor',
  /** A domain's service acting on its own (client credentials), not a person. */
  'service',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The audience (`aud`) of every access token the services accept. */
export const TOKEN_AUDIENCE = 'handoffs-services';

/** The identity provider's realm. */
export const IDENTITY_REALM = 'handoffs';
