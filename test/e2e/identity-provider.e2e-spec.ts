import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { domainServices, isDomain, isRole, ROLES, SERVICES_AUDIENCE, type Role } from '@handoffs/contracts';
import { CLI_CLIENT, requestToken, serviceToken, testIdentityProvider, userToken } from '@handoffs/testing';

/** The demo users of the realm file, with what their tokens must say. */
interface RealmUser {
  username: string;
  attributes?: { domain?: string[] };
  realmRoles?: string[];
  serviceAccountClientId?: string;
}
const realm: { users: RealmUser[] } = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'infra', 'keycloak', 'realm.json'), 'utf8'));
const people = realm.users.filter((user) => !user.serviceAccountClientId);

/** One demo user per role: the first the realm file gives it to. */
const ONE_PER_ROLE = ROLES.filter((role) => role !== 'service').map((role) => {
  const user = people.find((candidate) => candidate.realmRoles?.includes(role));
  if (!user) throw new Error(`the realm file has no demo user with the role ${role}`);
  return [role, user.username, user] as const;
});

interface AccessToken {
  iss: string;
  aud: string | string[];
  sub: string;
  exp: number;
  iat: number;
  azp: string;
  preferred_username: string;
  domain?: string;
  roles: string[];
  realm_access: { roles: string[] };
}

/** The realm's signing keys, from the JWKS its discovery document names. */
async function signingKeys(issuer: string): Promise<(JsonWebKey & { kid: string; use?: string; alg?: string })[]> {
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
  expect(discovery.issuer).toBe(issuer);
  return ((await (await fetch(discovery.jwks_uri)).json()) as { keys: (JsonWebKey & { kid: string })[] }).keys;
}

/** Verifies an RS256 JWT against the JWKS with Node's crypto (no JWT library is installed) and returns its payload. */
async function verified(token: string, issuer: string): Promise<AccessToken> {
  const [headerPart, payloadPart, signaturePart] = token.split('.');
  const header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8')) as { alg: string; kid: string };
  expect(header.alg).toBe('RS256');
  const jwk = (await signingKeys(issuer)).find((key) => key.kid === header.kid);
  expect(jwk).toBeDefined();
  const key = createPublicKey({ key: jwk!, format: 'jwk' });
  expect(verify('RSA-SHA256', Buffer.from(`${headerPart}.${payloadPart}`), key, Buffer.from(signaturePart, 'base64url'))).toBe(true);
  // A token whose payload was changed fails the same check.
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')), roles: ['head-of-department'] })).toString('base64url');
  expect(verify('RSA-SHA256', Buffer.from(`${headerPart}.${forged}`), key, Buffer.from(signaturePart, 'base64url'))).toBe(false);
  return JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8')) as AccessToken;
}

function expectCommonClaims(claims: AccessToken, issuer: string) {
  expect(claims.iss).toBe(issuer);
  expect([claims.aud].flat()).toContain(SERVICES_AUDIENCE);
  expect(claims.sub).toEqual(expect.any(String));
  const lifetime = claims.exp - claims.iat;
  expect(lifetime).toBe(300);
  expect(claims.exp * 1000).toBeGreaterThan(Date.now() + 240_000);
  expect(claims.exp * 1000).toBeLessThanOrEqual(Date.now() + 300_000 + 5_000);
}

/** The identity provider of DESIGN.md §7, for real: the realm of infra/keycloak/realm.json in the Keycloak that `npm test` starts. */
describe('the identity provider', () => {
  const { issuer } = testIdentityProvider();

  it.each(ONE_PER_ROLE)('gives a demo user with the role %s (%s) a signed token with issuer, audience, domain and roles', async (role, _username, user) => {
    const claims = await verified(await userToken(user.username), issuer);
    expectCommonClaims(claims, issuer);
    expect(claims.azp).toBe(CLI_CLIENT);
    expect(claims.preferred_username).toBe(user.username);
    expect(claims.roles).toContain(role);
    expect([...claims.roles].sort()).toEqual([...(user.realmRoles ?? [])].sort());
    expect(claims.roles.every(isRole)).toBe(true);
    expect([...claims.realm_access.roles].sort()).toEqual([...claims.roles].sort());
    if (role === 'supervisor') {
      // A supervisor serves every domain: the token names none.
      expect(claims.domain).toBeUndefined();
    } else {
      expect(claims.domain).toBe(user.attributes?.domain?.[0]);
      expect(isDomain(claims.domain)).toBe(true);
    }
  });

  it('gives every demo user of the realm file a token with their own domain and roles', async () => {
    for (const user of people) {
      const claims = await verified(await userToken(user.username), issuer);
      expect([claims.preferred_username, claims.domain, [...claims.roles].sort()]).toEqual([user.username, user.attributes?.domain?.[0], [...(user.realmRoles ?? [])].sort()]);
    }
  });

  it.each(domainServices.map(({ name, domain }) => [name, domain]))('gives the service %s its own token (client credentials) for the domain %s with the role service', async (service, domain) => {
    const claims = await verified(await serviceToken(service), issuer);
    expectCommonClaims(claims, issuer);
    expect(claims.azp).toBe(service);
    expect(claims.domain).toBe(domain);
    expect(claims.roles).toEqual<Role[]>(['service']);
  });

  it('gives no token for a wrong password, an unknown user, or a service client without its secret', async () => {
    const denied = [
      await requestToken({ grant_type: 'password', client_id: CLI_CLIENT, username: ONE_PER_ROLE[0][1], password: 'not-the-password' }),
      await requestToken({ grant_type: 'password', client_id: CLI_CLIENT, username: 'nobody.here', password: 'demo' }),
      await requestToken({ grant_type: 'client_credentials', client_id: domainServices[0].name, client_secret: 'not-the-secret' }),
    ];
    for (const answer of denied) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.body.access_token).toBeUndefined();
    }
    expect(denied[0].body.error).toBe('invalid_grant');
  });

  it("does not give a person a token through a service's client, even with its secret", async () => {
    const [{ name: service }] = domainServices;
    const answer = await requestToken({
      grant_type: 'password',
      client_id: service,
      client_secret: testIdentityProvider().clientSecrets[service],
      username: ONE_PER_ROLE[0][1],
      password: 'demo',
    });
    expect(answer.body.access_token).toBeUndefined();
    expect(answer.body.error).toBe('unauthorized_client');
  });
});
