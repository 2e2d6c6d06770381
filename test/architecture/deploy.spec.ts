import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigMap, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { SERVICE_ROSTER, serviceEntry } from '@handoffs/contracts';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const SERVICES = SERVICE_ROSTER.map(({ name }) => name);
const VALIDATORS: Record<string, new (data: never) => { validate(): void }> = {
  ConfigMap: ConfigMap as never,
  Service: Service as never,
  Deployment: Deployment as never,
  Job: Job as never,
};

/** The Dockerfiles, the Kubernetes manifests and the compose file: what a deploy of one service at a time rests on. */
describe('deployment files', () => {
  it('are what scripts/write-deploy-files.mjs writes from the service roster', () => {
    const check = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'write-deploy-files.mjs'), '--check'], { encoding: 'utf8' });
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
  });

  describe.each(SERVICES)('the Dockerfile of %s', (service) => {
    const lines = read(`services/${service}/Dockerfile`)
      .replace(/\\\n/g, ' ')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'));
    const stages = lines.filter((line) => line.startsWith('FROM '));
    const lastStage = lines.slice(lines.lastIndexOf(stages[stages.length - 1]));

    it('builds in one stage and runs in another, from a pinned base image', () => {
      expect(stages).toHaveLength(2);
      for (const stage of stages) expect(stage).toMatch(/^FROM node:\d+\.\d+-bookworm-slim\b/);
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`npx nx build ${service} `)));
      expect(lastStage).toContainEqual(`COPY --from=build /repo/dist/services/${service}/ ./`);
    });

    it('runs as a non-root user, checks /health, and starts with node main.js', () => {
      const users = lastStage.filter((line) => line.startsWith('USER '));
      expect(users).toEqual(['USER node']);
      expect(lastStage.findIndex((line) => line.startsWith('USER '))).toBeLessThan(lastStage.findIndex((line) => line.startsWith('CMD ')));
      expect(lastStage.find((line) => line.startsWith('HEALTHCHECK '))).toContain("'/health'");
      expect(lastStage).toContainEqual(expect.stringMatching(new RegExp(`^ENV .*PORT=${serviceEntry(service).port}\\b`)));
      expect(lastStage[lastStage.length - 1]).toBe('CMD ["node", "main.js"]');
    });
  });

  describe('the Kubernetes manifests', () => {
    const documents = [...SERVICES.map((service) => `infra/k8s/${service}.yaml`), 'infra/k8s/register-search-attributes.yaml'].flatMap((file) =>
      parseAllDocuments(read(file)).map((document) => ({ file, manifest: document.toJS() })),
    );

    it('are valid against the Kubernetes schemas (kubernetes-models)', () => {
      expect(documents.length).toBe(SERVICES.length * 3 + 1);
      for (const { file, manifest } of documents) {
        const Validator = VALIDATORS[manifest.kind];
        expect([file, manifest.kind, Validator !== undefined]).toEqual([file, manifest.kind, true]);
        expect(() => new Validator(manifest as never).validate()).not.toThrow();
      }
    });

    it('catch a broken manifest', () => {
      const deployment = documents.find(({ manifest }) => manifest.kind === 'Deployment')!.manifest;
      const broken = structuredClone(deployment);
      broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
      expect(() => new Deployment(broken).validate()).toThrow(/containerPort/);
    });

    it.each(SERVICES)('give %s probes, resource requests, a pinned image and its secrets only by reference', (service) => {
      const deployment = documents.find(({ manifest }) => manifest.kind === 'Deployment' && manifest.metadata.name === service)!.manifest;
      const [container] = deployment.spec.template.spec.containers;
      expect(container.readinessProbe.httpGet.path).toBe('/health');
      expect(container.livenessProbe).toBeDefined();
      expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.image).toMatch(new RegExp(`^municipal-handoffs/${service}:\\d+\\.\\d+\\.\\d+$`));
      expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      for (const variable of container.env ?? []) expect(variable).toEqual({ name: variable.name, valueFrom: { secretKeyRef: expect.any(Object) } });
      const config = documents.find(({ manifest }) => manifest.kind === 'ConfigMap' && manifest.metadata.name === `${service}-config`)!.manifest;
      expect(Object.keys(config.data)).not.toEqual(expect.arrayContaining(['DATABASE_URL']));
      expect(Object.keys(config.data).filter((key) => /KEYS|TOKEN|PASSWORD|SECRET/.test(key))).toEqual([]);
    });

    it('register the supervisor search attributes in a job', () => {
      const job = documents.find(({ manifest }) => manifest.kind === 'Job')!.manifest;
      const script = job.spec.template.spec.containers[0].args.join(' ');
      for (const { name, type } of JSON.parse(read('libs/contracts/src/search-attributes.json'))) expect(script).toContain(`--name ${name} --type ${type}`);
    });
  });

  describe('docker-compose.yml', () => {
    const compose = parse(read('docker-compose.yml'));

    it("passes docker-compose's own validation (Debian's docker-compose, `config`)", () => {
      const dockerCompose = process.env.DOCKER_COMPOSE_PATH ?? '/usr/bin/docker-compose';
      const env = { ...process.env, PAYLOAD_ENCRYPTION_KEYS: 'k:x', CODEC_SUPERVISOR_TOKEN_HASHES: 'sv:y' };
      expect(() => execFileSync(dockerCompose, ['-f', path.join(REPO_ROOT, 'docker-compose.yml'), 'config', '-q'], { env, stdio: 'pipe' })).not.toThrow();
      // Without the payload keys it refuses, naming what is missing.
      const missing = spawnSync(dockerCompose, ['-f', path.join(REPO_ROOT, 'docker-compose.yml'), 'config', '-q'], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain('the payload key set');
    });

    it('runs every service from its Dockerfile, with PostgreSQL, Temporal, its UI and the codec server, every image pinned', () => {
      for (const service of SERVICES) expect(compose.services[service].build.dockerfile).toBe(`services/${service}/Dockerfile`);
      expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'temporal-schema', 'temporal', 'temporal-setup', 'temporal-ui']));
      for (const [name, service] of Object.entries<{ image: string }>(compose.services)) {
        expect([name, service.image]).toEqual([name, expect.stringMatching(/:\d+\.\d+(\.\d+)?[\w.-]*$/)]);
      }
    });

    it('points the Web UI (2.43 or later) at the codec server with the write actions switched off', () => {
      const ui = compose.services['temporal-ui'];
      const [major, minor] = ui.image.split(':')[1].split('.').map(Number);
      expect(major * 1000 + minor).toBeGreaterThanOrEqual(2043);
      expect(ui.environment.TEMPORAL_CODEC_ENDPOINT).toBe(`http://localhost:${serviceEntry('codec-server').port}`);
      for (const action of ['TERMINATE', 'CANCEL', 'SIGNAL', 'UPDATE', 'RESET']) expect(ui.environment[`TEMPORAL_WORKFLOW_${action}_DISABLED`]).toBe('true');
      expect(ui.environment.TEMPORAL_BATCH_ACTIONS_DISABLED).toBe('true');
      expect(ui.environment.TEMPORAL_START_WORKFLOW_DISABLED).toBe('true');
    });
  });
});
