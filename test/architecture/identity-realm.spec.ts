import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DOMAINS, domainServices, ROLES, SERVICES_AUDIENCE } from '@handoffs/contracts';

/** The parts of a Keycloak realm representation this test reads. */
interface ProtocolMapper {
  protocolMapper: string;
  config: Record<string, string>;
}
interface Client {
  clientId: string;
  publicClient?: boolean;
  serviceAccountsEnabled?: boolean;
  directAccessGrantsEnabled?: boolean;
  standardFlowEnabled?: boolean;
  secret?: string;
  protocolMappers?: ProtocolMapper[];
}
interface User {
  username: string;
  enabled?: boolean;
  attributes?: Record<string, string[]>;
  realmRoles?: string[];
  serviceAccountClientId?: string;
  credentials?: { type: string; value?: string; temporary?: boolean }[];
}
interface Realm {
  realm: string;
  accessTokenLifespan: number;
  roles: { realm: { name: string; composite?: boolean }[] };
  clients: Client[];
  users: User[];
}

const REALM_FILE = path.resolve(__dirname, '..', '..', 'infra', 'keycloak', 'realm.json');
const realm: Realm = JSON.parse(readFileSync(REALM_FILE, 'utf8'));
const people = realm.users.filter((user) => !user.serviceAccountClientId);
const client = (clientId: string) => realm.clients.find((candidate) => candidate.clientId === clientId);
const domainOf = (user: User) => user.attributes?.domain?.[0];

/** What every token must carry: the audience the services verify, the domain, the roles as a flat list. */
function expectTheClaimsMappers(mappers: ProtocolMapper[] = []) {
  const mapper = (kind: string) => mappers.filter(({ protocolMapper }) => protocolMapper === kind);
  expect(mapper('oidc-audience-mapper').map(({ config }) => [config['included.custom.audience'], config['access.token.claim']])).toEqual([[SERVICES_AUDIENCE, 'true']]);
  expect(mapper('oidc-usermodel-attribute-mapper').map(({ config }) => [config['user.attribute'], config['claim.name'], config['access.token.claim']])).toEqual([
    ['domain', 'domain', 'true'],
  ]);
  expect(mapper('oidc-usermodel-realm-role-mapper').map(({ config }) => [config['claim.name'], config.multivalued, config['access.token.claim']])).toEqual([['roles', 'true', 'true']]);
}

/** infra/keycloak/realm.json, the realm `npm start` and `npm test` import (no server needed). */
describe('the realm of the identity provider', () => {
  it('is the realm handoffs, with access tokens valid for five minutes', () => {
    expect(realm.realm).toBe('handoffs');
    expect(realm.accessTokenLifespan).toBe(300);
  });

  it('has every role of the contracts, and none that no token should carry', () => {
    const names = realm.roles.realm.map(({ name }) => name);
    expect(names).toEqual(expect.arrayContaining([...ROLES]));
    // Keycloak's default role is given to no one here and grants nothing.
    expect(names.filter((name) => !(ROLES as readonly string[]).includes(name))).toEqual(['default-roles-handoffs']);
    expect(realm.roles.realm.filter(({ composite }) => composite)).toEqual([]);
  });

  it('has a public client for the command line and the tests, with the password grant only, and the claims mappers', () => {
    expect(client('handoffs-cli')).toMatchObject({ publicClient: true, directAccessGrantsEnabled: true, standardFlowEnabled: false });
    expectTheClaimsMappers(client('handoffs-cli')?.protocolMappers);
  });

  it.each(domainServices.map(({ name, domain }) => [name, domain]))(
    'has a confidential client for the service %s (client credentials only, no secret in the file), whose account is of the domain %s with the role service',
    (name, domain) => {
      const service = client(name);
      expect(service).toMatchObject({ publicClient: false, serviceAccountsEnabled: true, directAccessGrantsEnabled: false, standardFlowEnabled: false });
      expect(service?.secret).toBeUndefined();
      expectTheClaimsMappers(service?.protocolMappers);
      const account = realm.users.filter((user) => user.serviceAccountClientId === name);
      expect(account).toHaveLength(1);
      expect(domainOf(account[0])).toBe(domain);
      expect(account[0].realmRoles).toEqual(['service']);
    },
  );

  it('has no client but those', () => {
    expect(realm.clients.map(({ clientId }) => clientId).sort()).toEqual(['handoffs-cli', ...domainServices.map(({ name }) => name)].sort());
  });

  it.each(ROLES.filter((role) => role !== 'service'))('has a demo user with the role %s', (role) => {
    expect(people.filter((user) => user.realmRoles?.includes(role)).length).toBeGreaterThan(0);
  });

  it.each(DOMAINS)('has demo users of the domain %s: caseworker, team lead and data-protection officer', (domain) => {
    const roles = people.filter((user) => domainOf(user) === domain).flatMap((user) => user.realmRoles ?? []);
    expect(roles).toEqual(expect.arrayContaining(['caseworker', 'team-lead', 'data-protection-officer']));
  });

  it('gives every demo user a domain of the contracts (the supervisor none), roles of the contracts, a staff ID as username and the demo password', () => {
    for (const user of people) {
      const roles = user.realmRoles ?? [];
      expect(roles.length).toBeGreaterThan(0);
      expect(roles.every((role) => (ROLES as readonly string[]).includes(role) && role !== 'service')).toBe(true);
      if (roles.includes('supervisor')) expect(domainOf(user)).toBeUndefined();
      else expect(DOMAINS).toContain(domainOf(user));
      expect(user.username).toMatch(/^([a-z]+\.[a-z-]+|supervisor)$/);
      expect(user.enabled).toBe(true);
      expect(user.credentials).toEqual([{ type: 'password', value: 'demo', temporary: false }]);
    }
  });

  it('has the enforcement officer in immigration and the KSD social workers in social services', () => {
    const domainsWith = (role: string) => [...new Set(people.filter((user) => user.realmRoles?.includes(role)).map(domainOf))];
    expect(domainsWith('enforcement')).toEqual(['immigration']);
    expect(domainsWith('ksd-social-worker')).toEqual(['social-services']);
  });

  it('has the staff IDs the tests and the demo scenario use', () => {
    const usernames = people.map(({ username }) => username);
    expect(usernames).toEqual(expect.arrayContaining(['abh.schmidt', 'abh.weber', 'abh.lead', 'abh.vollzug', 'abh.demo', 'jc.mueller', 'jc.demo', 'sa.yilmaz', 'sa.koch', 'sa.demo', 'ksd.becker', 'ksd.demo', 'aa.meier', 'supervisor']));
    expect(new Set(usernames).size).toBe(usernames.length);
  });
});
