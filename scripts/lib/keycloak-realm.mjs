// The realm kept in the repository (infra/keycloak/realm.json), read without a server: its name and
// its demo users with their domain and roles, for `npm start`'s listing and `npm run token`.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.mjs';

export const REALM_FILE = path.join(repoRoot(), 'infra', 'keycloak', 'realm.json');
export const HANDOFFS_REALM = 'handoffs';

/** The public client of the command line and the tests (the password grant with demo users). */
export const CLI_CLIENT = 'handoffs-cli';

/** Demo only: the password of every demo user of the realm. */
export const DEMO_PASSWORD = 'demo';

export function realmFile() {
  return JSON.parse(fs.readFileSync(REALM_FILE, 'utf8'));
}

/** How long an access token of the realm is valid. */
export function tokenLifespanMinutes(realm = realmFile()) {
  return realm.accessTokenLifespan / 60;
}

/** The people of the realm (not the services' accounts), in the file's order: `{ username, name, domain, roles }`; `domain` null for the supervisor, who serves every domain. */
export function demoUsers(realm = realmFile()) {
  return realm.users
    .filter((user) => !user.serviceAccountClientId)
    .map((user) => ({
      username: user.username,
      name: [user.firstName, user.lastName].filter(Boolean).join(' '),
      domain: user.attributes?.domain?.[0] ?? null,
      roles: user.realmRoles ?? [],
    }));
}

/** The first demo caseworker of `domain`, or undefined. */
export function caseworkerOf(domain, realm = realmFile()) {
  return demoUsers(realm).find((user) => user.domain === domain && user.roles.includes('caseworker'));
}

/** The demo users as aligned lines: staff ID, domain, roles, name. */
export function demoUserLines(users = demoUsers(), indent = '') {
  const width = (pick) => Math.max(...users.map((user) => pick(user).length));
  const domainOf = (user) => user.domain ?? '(no domain)';
  const rolesOf = (user) => user.roles.join(', ');
  return users.map(
    (user) => `${indent}${user.username.padEnd(width((u) => u.username))}  ${domainOf(user).padEnd(width(domainOf))}  ${rolesOf(user).padEnd(width(rolesOf))}  ${user.name}`,
  );
}
