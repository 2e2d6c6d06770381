/** The identity provider the tests run against: Keycloak with the realm of infra/keycloak/realm.json, which `npm test` starts. */
export interface TestIdentityProvider {
  /** The realm's issuer URL (`iss` of its tokens). */
  issuer: string;
  /** Each service client's secret, by client ID (the service's name). */
  clientSecrets: Record<string, string>;
}

/** The public client of the command line and the tests, with the password grant. */
export const CLI_CLIENT = 'handoffs-cli';

/** Demo only: the password of every demo user of the realm. */
export const DEMO_PASSWORD = 'demo';

/** From OIDC_ISSUER and OIDC_CLIENT_SECRETS (a JSON object), which `npm test` sets. */
export function testIdentityProvider(): TestIdentityProvider {
  const issuer = process.env.OIDC_ISSUER;
  if (!issuer) {
    throw new Error('These tests need the identity provider: run them through `npm test`, or set OIDC_ISSUER (and OIDC_CLIENT_SECRETS) (see docs/development.md)');
  }
  return { issuer: issuer.replace(/\/$/, ''), clientSecrets: JSON.parse(process.env.OIDC_CLIENT_SECRETS ?? '{}') };
}

/** The token endpoint's answer: the token, or the error (e.g. `invalid_grant`). */
export interface TokenAnswer {
  status: number;
  body: { access_token?: string; expires_in?: number; token_type?: string; error?: string; error_description?: string };
}

/** POSTs `form` to the realm's token endpoint. */
export async function requestToken(form: Record<string, string>, provider = testIdentityProvider()): Promise<TokenAnswer> {
  const response = await fetch(`${provider.issuer}/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams(form) });
  return { status: response.status, body: (await response.json()) as TokenAnswer['body'] };
}

/** A demo user's access token (the password grant through the public client). */
export async function userToken(username: string, password = DEMO_PASSWORD): Promise<string> {
  return tokenOf(await requestToken({ grant_type: 'password', client_id: CLI_CLIENT, username, password }), username);
}

/** A service's own access token (client credentials with its client's secret). */
export async function serviceToken(service: string, provider = testIdentityProvider()): Promise<string> {
  const secret = provider.clientSecrets[service];
  if (!secret) throw new Error(`OIDC_CLIENT_SECRETS has no secret for the client ${service}`);
  return tokenOf(await requestToken({ grant_type: 'client_credentials', client_id: service, client_secret: secret }, provider), service);
}

function tokenOf({ status, body }: TokenAnswer, who: string): string {
  if (!body.access_token) throw new Error(`no token for ${who}: ${status} ${body.error ?? ''} ${body.error_description ?? ''}`.trim());
  return body.access_token;
}
