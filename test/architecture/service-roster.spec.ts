import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { DOMAIN_NAMES, DOMAINS, domainServices, SERVICE_ROSTER, serviceEntry, taskQueueOf, transportPortOf } from '@handoffs/contracts';
import { domainServiceModule, loadServiceConfig } from '@handoffs/service-kit';
import { TemporalModule } from '@handoffs/temporal';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const ROSTER = 'libs/contracts/src/services.json';
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

/** Every file that once wrote services, ports or the workflow flag of its own, and now reads the roster. */
const CONSUMERS = [
  'eslint.config.mjs',
  'libs/contracts/src/domains.ts',
  'libs/service-kit/src/config.ts',
  'libs/service-kit/src/domain-service.module.ts',
  'services/codec-server/src/settings.ts',
  'services/agency-simulator/src/settings.ts',
  'services/employment-agency-gateway/src/agency-referral/agency-transport.ts',
  'scripts/npm-start.mjs',
  'scripts/write-deploy-files.mjs',
  'scripts/build-service.mjs',
  'scripts/demo.mjs',
  'scripts/bench.mjs',
  'scripts/lib/bench/services.mjs',
  'test/architecture/deploy.spec.ts',
];
/** How a file reads the roster: the JSON itself, the scripts' reader, or the accessor in @handoffs/contracts. */
const READS_THE_ROSTER = /services\.json|service-roster\.mjs|\b(SERVICE_ROSTER|SERVICES|serviceEntry|domainService|domainServices|transportPortOf)\b/;

/** Every port the roster gives, HTTP and transport. */
const ROSTER_PORTS = SERVICE_ROSTER.flatMap(({ port, transportPort }) => (transportPort === undefined ? [port] : [port, transportPort]));
const SPELLS_A_PORT = new RegExp(`\\b(${ROSTER_PORTS.join('|')})\\b`);

/** The workspace's code and configuration, but for what is generated, recorded or a test's own data. */
function sourceFiles(folder = ''): string[] {
  return readdirSync(path.join(REPO_ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      return ['node_modules', 'dist', 'replay', '.git', '.nx', '.data', '.tools', 'coverage'].includes(entry.name) ? [] : sourceFiles(file);
    }
    const code = /\.(ts|mjs|cjs|js|json)$/.test(entry.name) && !/\.(e2e-)?spec\.ts$/.test(entry.name);
    return code && !['package-lock.json', ROSTER].includes(file) ? [file] : [];
  });
}

const key = () => randomBytes(32).toString('base64');
const serviceEnv = { DATABASE_URL: 'postgres://u:p@localhost:5432/handoffs', PAYLOAD_ENCRYPTION_KEYS: `2026-11:${key()}` };

/** The roster (libs/contracts/src/services.json) is the one place the services, their ports and their roles are written. */
describe('the service roster', () => {
  it('lists each service once, each with a port of its own and a project under services/', () => {
    const names = SERVICE_ROSTER.map(({ name }) => name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(ROSTER_PORTS).size).toBe(ROSTER_PORTS.length);
    for (const { name, scope } of SERVICE_ROSTER) {
      const project = JSON.parse(read(`services/${name}/project.json`));
      expect([name, project.name, project.tags]).toEqual([name, name, expect.arrayContaining([`scope:${scope}`])]);
    }
  });

  it('is read by every consumer, and no code or configuration but the roster spells one of its ports', () => {
    for (const file of CONSUMERS) {
      const text = read(file);
      expect([file, READS_THE_ROSTER.test(text)]).toEqual([file, true]);
    }
    const spelling = sourceFiles().filter((file) => SPELLS_A_PORT.test(read(file)));
    expect(spelling).toEqual([]);
  });

  it('names the four domains of DOMAINS, with their task queues, schemas and names', () => {
    expect(domainServices.map(({ domain }) => domain)).toEqual([...DOMAINS]);
    for (const { domain, taskQueue, title, authority } of domainServices) {
      expect(taskQueueOf(domain)).toBe(taskQueue);
      expect(DOMAIN_NAMES[domain]).toBe(authority ?? title);
      const config = loadServiceConfig(domain, serviceEnv);
      expect({ domain, port: config.port, schema: config.databaseSchema }).toEqual({ domain, port: serviceEntry(domain).port, schema: serviceEntry(domain).schema });
    }
  });

  it('decides which services host workflows: their worker runs the workflow code, their build ships the bundle', () => {
    for (const { domain, taskQueue, hostsWorkflows } of domainServices) {
      const module = domainServiceModule(class {}, loadServiceConfig(domain, serviceEnv), { migrations: [] });
      const temporal = module.imports?.find((imported) => 'module' in imported && imported.module === TemporalModule) as { providers: { useValue?: object }[] };
      expect([domain, temporal.providers[0].useValue]).toEqual([domain, expect.objectContaining({ taskQueue, hostsWorkflows })]);
      expect(read(`services/${domain}/src/app.module.ts`)).not.toContain('hostsWorkflows');
    }
    for (const { name } of SERVICE_ROSTER) {
      const project = JSON.parse(read(`services/${name}/project.json`));
      expect(project.targets.build.options.command).toBe(`node scripts/build-service.mjs ${name}`);
    }
    const dockerfilesWithBundle = SERVICE_ROSTER.filter(({ name }) => read(`services/${name}/Dockerfile`).includes('with the prebuilt workflow bundle'));
    expect(dockerfilesWithBundle.map(({ name }) => name)).toEqual(SERVICE_ROSTER.filter(({ hostsWorkflows }) => hostsWorkflows).map(({ name }) => name));
  });

  it('gives the scripts the same services, in the same order', () => {
    const script = `import { SERVICES } from ${JSON.stringify(path.join(REPO_ROOT, 'scripts', 'lib', 'service-roster.mjs'))}; console.log(JSON.stringify(SERVICES));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(run.stdout)).toEqual(SERVICE_ROSTER.map(({ name }) => name));
  });

  it('gives docker-compose.yml (written by hand) its ports and the transports between gateway and agency', () => {
    const compose = parse(read('docker-compose.yml')).services;
    for (const { name, port } of SERVICE_ROSTER.filter(({ name }) => name !== 'agency-simulator')) {
      expect([name, compose[name].ports]).toEqual([name, [`${port}:${port}`]]);
    }
    expect(compose['temporal-ui'].environment.TEMPORAL_CODEC_ENDPOINT).toBe(`http://localhost:${serviceEntry('codec-server').port}`);
    const gateway = transportPortOf('employment-agency-gateway');
    const agency = transportPortOf('agency-simulator');
    expect(compose['employment-agency-gateway'].environment).toMatchObject({ EMPLOYMENT_AGENCY_GATEWAY_TRANSPORT_PORT: gateway, AGENCY_ADDRESS: `agency-simulator:${agency}` });
    expect(compose['agency-simulator'].environment).toMatchObject({ AGENCY_TRANSPORT_PORT: agency, AGENCY_GATEWAY_ADDRESS: `employment-agency-gateway:${gateway}` });
    // The simulator's HTTP port stays inside its container: the file names it nowhere.
    expect(read('docker-compose.yml')).not.toMatch(new RegExp(`\\b${serviceEntry('agency-simulator').port}\\b`));
  });
});
