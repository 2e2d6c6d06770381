#!/usr/bin/env node
// Writes each service's Dockerfile and Kubernetes manifests from one description of the services, so
// that what they share is written once. `node scripts/write-deploy-files.mjs` writes them;
// `--check` only says whether the committed files are what it would write (a test runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NODE_IMAGE = 'node:20.20-bookworm-slim';
const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
const TEMPORAL_ADMIN_TOOLS = 'temporalio/admin-tools:1.29.1-tctl-1.18.4-cli-1.5.0';
const SEARCH_ATTRIBUTES = JSON.parse(readFileSync(path.join(ROOT, 'libs', 'contracts', 'src', 'search-attributes.json'), 'utf8'));

/** Every deployable service: its HTTP port (where /health is), other ports, configuration and secrets. */
export const DEPLOYABLES = [
  { name: 'immigration', what: "the immigration office's service (Ausländerbehörde); hosts the workflows", port: 3001, replicas: 2, database: true, temporal: true },
  { name: 'job-centre', what: "the job centre's service (Jobcenter, SGB II); hosts the workflows", port: 3002, replicas: 2, database: true, temporal: true },
  { name: 'social-services', what: "social services' service (Sozialamt, AsylbLG, youth welfare)", port: 3003, replicas: 2, database: true, temporal: true },
  {
    name: 'employment-agency-gateway',
    what: "the gateway to the employment agency's system (Agentur für Arbeit, SGB III)",
    port: 3004,
    replicas: 2,
    database: true,
    temporal: true,
    ports: { 'agency-answers': 4004 },
    config: { EMPLOYMENT_AGENCY_GATEWAY_TRANSPORT_PORT: '4004', AGENCY_ADDRESS: 'agency-simulator:4100' },
  },
  {
    name: 'codec-server',
    what: 'the codec server: decodes payloads for supervisors in the Web UI',
    port: 3005,
    replicas: 2,
    config: { CODEC_ALLOWED_ORIGINS: 'https://temporal-ui.example.org' },
    secrets: { CODEC_SUPERVISOR_TOKEN_HASHES: ['codec-server-supervisors', 'token-hashes'] },
  },
  {
    name: 'agency-simulator',
    what: "a simulator of the employment agency's system, for test and training clusters only",
    port: 4101,
    replicas: 1,
    ports: { transport: 4100 },
    config: { AGENCY_TRANSPORT_PORT: '4100', AGENCY_GATEWAY_ADDRESS: 'employment-agency-gateway:4004' },
    payloadKeys: false,
  },
];

const GENERATED = 'Written by scripts/write-deploy-files.mjs from one description of the services: change it there.';

export function dockerfile(service) {
  const workflows = ['immigration', 'job-centre'].includes(service.name);
  return `# syntax=docker/dockerfile:1
# ${GENERATED}
# ${service.what}: built from the monorepo in the first stage (nx build ${service.name}${workflows ? ', with the prebuilt workflow bundle' : ''}),
# run from its self-contained folder in the second, as the unprivileged user node.
# docker build -f services/${service.name}/Dockerfile -t municipal-handoffs/${service.name}:${VERSION} .

FROM ${NODE_IMAGE} AS build
WORKDIR /repo
ENV NX_DAEMON=false NX_NO_CLOUD=true
COPY . .
RUN npm ci --no-audit --no-fund && npx nx build ${service.name} --outputStyle=static

FROM ${NODE_IMAGE}
ENV NODE_ENV=production HOST=0.0.0.0 PORT=${service.port}
WORKDIR /app
COPY --from=build /repo/dist/services/${service.name}/ ./
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
USER node
EXPOSE ${[service.port, ...Object.values(service.ports ?? {})].join(' ')}
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \\
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "main.js"]
`;
}

const labels = (name) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'municipal-handoffs' });
const secretEnv = (name, [secret, key]) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

export function manifests(service) {
  const ports = { http: service.port, ...(service.ports ?? {}) };
  const secrets = {
    ...(service.database ? { DATABASE_URL: [`${service.name}-database`, 'url'] } : {}),
    ...(service.payloadKeys === false ? {} : { PAYLOAD_ENCRYPTION_KEYS: ['handoffs-payload-keys', 'keys'] }),
    ...(service.secrets ?? {}),
  };
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${service.name}-config`, labels: labels(service.name) },
    data: {
      HOST: '0.0.0.0',
      PORT: String(service.port),
      ...(service.temporal ? { TEMPORAL_ADDRESS: 'temporal-frontend:7233', TEMPORAL_NAMESPACE: 'default', SHUTDOWN_GRACE_TIME: '20 seconds' } : {}),
      ...(service.config ?? {}),
    },
  };
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: service.name, labels: labels(service.name), annotations: { description: service.what } },
    spec: {
      replicas: service.replicas,
      // One pod at a time: the others keep polling the task queue while a new build starts.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      selector: { matchLabels: labels(service.name) },
      template: {
        metadata: { labels: labels(service.name) },
        spec: {
          terminationGracePeriodSeconds: 30,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: service.name,
              image: `municipal-handoffs/${service.name}:${VERSION}`,
              ports: Object.entries(ports).map(([name, containerPort]) => ({ name, containerPort })),
              envFrom: [{ configMapRef: { name: configMap.metadata.name } }],
              env: Object.entries(secrets).map(([name, ref]) => secretEnv(name, ref)),
              resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { memory: '512Mi' } },
              // Started: the first /health 200 (database migrated, worker running); up to 2.5 minutes.
              startupProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 5, failureThreshold: 30 },
              // Ready for traffic while /health says database, Temporal and worker are there.
              readinessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
              // Alive while it listens: a database outage makes it unready, not restarted.
              livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 20, timeoutSeconds: 3, failureThreshold: 3 },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
  const k8sService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: service.name, labels: labels(service.name) },
    spec: {
      selector: labels(service.name),
      ports: Object.entries(ports).map(([name, port]) => ({ name, port, targetPort: name })),
    },
  };
  return [configMap, deployment, k8sService];
}

/** Registers the supervisor search attributes in the namespace, once per cluster (again is harmless). */
export function searchAttributesJob() {
  const pairs = SEARCH_ATTRIBUTES.map(({ name, type }) => `--name ${name} --type ${type}`).join(' ');
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'register-search-attributes', labels: labels('register-search-attributes') },
    spec: {
      backoffLimit: 10,
      template: {
        metadata: { labels: labels('register-search-attributes') },
        spec: {
          restartPolicy: 'OnFailure',
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'register',
              image: TEMPORAL_ADMIN_TOOLS,
              command: ['/bin/sh', '-c'],
              args: [
                'temporal operator namespace describe --namespace "$NAMESPACE" || temporal operator namespace create --namespace "$NAMESPACE" --retention 30d; ' +
                  `temporal operator search-attribute create --namespace "$NAMESPACE" ${pairs} || temporal operator search-attribute list --namespace "$NAMESPACE"`,
              ],
              env: [
                { name: 'TEMPORAL_ADDRESS', value: 'temporal-frontend:7233' },
                { name: 'NAMESPACE', value: 'default' },
              ],
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}

function yamlDocuments(documents) {
  return `# ${GENERATED}\n` + documents.map((document) => `---\n${stringify(document, { lineWidth: 0 })}`).join('');
}

/** Every file this script writes, by path relative to the repository. */
export function deployFiles() {
  const files = {};
  for (const service of DEPLOYABLES) {
    files[`services/${service.name}/Dockerfile`] = dockerfile(service);
    files[`infra/k8s/${service.name}.yaml`] = yamlDocuments(manifests(service));
  }
  files['infra/k8s/register-search-attributes.yaml'] = yamlDocuments([searchAttributesJob()]);
  files['infra/k8s/kustomization.yaml'] = yamlDocuments([
    {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'municipal-handoffs',
      resources: [...DEPLOYABLES.map((service) => `${service.name}.yaml`), 'register-search-attributes.yaml'],
    },
  ]);
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [file, content] of Object.entries(deployFiles())) {
    const target = path.join(ROOT, file);
    let current = null;
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // not written yet
    }
    if (current === content) continue;
    if (check) stale.push(file);
    else writeFileSync(target, content);
  }
  if (check && stale.length > 0) {
    console.error(`Not what scripts/write-deploy-files.mjs writes (run it): ${stale.join(', ')}`);
    process.exit(1);
  }
}
