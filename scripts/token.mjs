#!/usr/bin/env node
// `npm run token -- <staff ID>`: an access token of a demo user from the running identity provider
// (Keycloak, started by `npm start`), for curl: the token alone on the last line of standard output,
// what it holds on standard error. `--list`: the demo users with domain and roles (read from
// infra/keycloak/realm.json, no server needed). `--for <service>`: a caseworker's token for that
// service's domain. The provider: OIDC_ISSUER (the realm's issuer URL), else the one `npm start`
// recorded in .data/keycloak.json.
import fs from 'node:fs';
import { CLI_CLIENT, caseworkerOf, DEMO_PASSWORD, demoUserLines, demoUsers, REALM_FILE } from './lib/keycloak-realm.mjs';
import { PROVIDER_FILE } from './lib/keycloak.mjs';
import { relative } from './lib/paths.mjs';
import { SERVICE_ROSTER } from './lib/service-roster.mjs';

const USAGE = `Usage:
  npm run token -- <staff ID>          an access token of that demo user (the last line), e.g. abh.schmidt
  npm run token -- --for <service>     a caseworker's token for that service's domain, e.g. --for job-centre
  npm run token -- --list              the demo users with domain and roles (password "${DEMO_PASSWORD}", demo only)
In a shell: TOKEN=$(npm run -s token -- abh.schmidt); curl -H "Authorization: Bearer $TOKEN" ...`;

function fail(message) {
  console.error(message);
  process.exit(1);
}

function issuer() {
  if (process.env.OIDC_ISSUER) return process.env.OIDC_ISSUER.replace(/\/$/, '');
  try {
    return JSON.parse(fs.readFileSync(PROVIDER_FILE, 'utf8')).issuer;
  } catch {
    return fail(`No identity provider known: start one with \`npm start\` (it records itself in ${relative(PROVIDER_FILE)}), or set OIDC_ISSUER to the realm's issuer URL.`);
  }
}

async function passwordToken(username) {
  const user = demoUsers().find((candidate) => candidate.username === username);
  if (!user) fail(`${username} is not a demo user of ${relative(REALM_FILE)}; \`npm run token -- --list\` lists them.`);
  const realmIssuer = issuer();
  let response;
  try {
    response = await fetch(`${realmIssuer}/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', client_id: CLI_CLIENT, username, password: process.env.OIDC_PASSWORD ?? DEMO_PASSWORD, scope: 'openid' }),
    });
  } catch (error) {
    fail(`The identity provider at ${realmIssuer} does not answer (${error.cause?.code ?? error.message}); is \`npm start\` running?`);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) fail(`${realmIssuer} gave no token for ${username}: ${response.status} ${body.error_description ?? body.error ?? ''}`.trim());
  const minutes = Math.round(body.expires_in / 60);
  console.error(`${username} (${user.domain ?? 'no domain'}; ${user.roles.join(', ')}): an access token from ${realmIssuer}, valid for ${minutes} minutes:`);
  console.log(body.access_token);
}

const args = process.argv.slice(2);
if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
  console.error(USAGE);
  process.exit(args.length === 0 ? 1 : 0);
} else if (args[0] === '--list') {
  console.log(`The demo users of ${relative(REALM_FILE)} (password "${DEMO_PASSWORD}", demo only): staff ID, domain, roles, name`);
  console.log(demoUserLines(demoUsers(), '  ').join('\n'));
} else if (args[0] === '--for') {
  const service = args[1];
  const entry = SERVICE_ROSTER.find(({ name }) => name === service);
  const withDomain = SERVICE_ROSTER.filter(({ domain }) => domain).map(({ name }) => name);
  if (!entry?.domain) fail(`--for takes a service of a domain: ${withDomain.join(', ')}`);
  const caseworker = caseworkerOf(entry.domain);
  if (!caseworker) fail(`${relative(REALM_FILE)} has no demo caseworker of the domain ${entry.domain}`);
  await passwordToken(caseworker.username);
} else if (args.length === 1 && !args[0].startsWith('-')) {
  await passwordToken(args[0]);
} else {
  fail(USAGE);
}
