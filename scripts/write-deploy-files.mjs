#!/usr/bin/env node
// Writes each service's Dockerfile and Kubernetes manifests from the service roster
// (libs/contracts/src/services.json), so that what they share is written once.
// `node scripts/write-deploy-files.mjs` writes them; `--check` only says whether the committed files are what it would write (a test runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { SERVICE_ROSTER, serviceEntry } from './lib/service-roster.mjs';
import { searchAttributes } from './lib/temporal-search-attributes.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NODE_IMAGE = 'node:20.20-bookworm-slim';
const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
const TEMPORAL_ADMIN_TOOLS = 'temporalio/admin-tools:1.29.1-tctl-1.18.4-cli-1.5.0';
const SEARCH_ATTRIBUTES = searchAttributes();

const GATEWAY = serviceEntry('employment-agency-gateway');
const AGENCY = serviceEntry('agency-simulator');

/** What links the gateway and the agency's system: each is told where the other's transport listens. */
const TRANSPORT_CONFIG = {
  [GATEWAY.name]: { EMPLOYMENT_AGENCY_GATEWAY_TRANSPORT_PORT: String(GATEWAY.transportPort), AGENCY_ADDRESS: `${AGENCY.name}:${AGENCY.transportPort}` },
  [AGENCY.name]: { AGENCY_TRANSPORT_PORT: String(AGENCY.transportPort), AGENCY_GATEWAY_ADDRESS: `${GATEWAY.name}:${GATEWAY.transportPort}` },
};

/**
 * Every deployable service from the roster (libs/contracts/src/services.json): its HTTP port (where
 * /health is), its transport's port, configuration and secrets. A domain's service has a database and Temporal.
 */
export const DEPLOYABLES = SERVICE_ROSTER.map((service) => ({
  name: service.name,
  what: service.deploy.what,
  port: service.port,
  replicas: service.deploy.replicas,
  hostsWorkflows: service.hostsWorkflows,
  database: service.schema !== null,
  temporal: service.taskQueue !== null,
  ports: service.transportPort === undefined ? {} : { [service.deploy.transportPortName]: service.transportPort },
  config: { ...TRANSPORT_CONFIG[service.name], ...service.deploy.config },
  secrets: service.deploy.secrets,
  payloadKeys: service.deploy.payloadKeys,
}));

const GENERATED = 'Written by scripts/write-deploy-files.mjs from libs/contracts/src/services.json and search-attributes.json: change those and run it.';

export function dockerfile(service) {
  return `# syntax=docker/dockerfile:1
# ${GENERATED}
# ${service.what}: built from the monorepo in the first stage (nx build ${service.name}${service.hostsWorkflows ? ', with the prebuilt workflow bundle' : ''}),
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
EXPOSE ${[service.port, ...Object.values(service.ports)].join(' ')}
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \\
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "main.js"]
`;
}

const labels = (name) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'municipal-handoffs' });
const secretEnv = (name, [secret, key]) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

export function manifests(service) {
  const ports = { http: service.port, ...service.ports };
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
      ...service.config,
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
