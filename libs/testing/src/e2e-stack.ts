import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import type { Domain } from '@handoffs/contracts';
import { freePort, ServiceProcess, startServices } from './service-process';
import { createTestDatabase, createTestNamespace, testDataConverter, testStack, type TestServers } from './stack';

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: any;
}

/** The built services as processes on a database and Temporal namespace of their own, spoken to through HTTP. */
export interface E2eStack {
  services: Record<Domain, ServiceProcess>;
  /** The agency simulator, when asked for. */
  simulator?: ServiceProcess;
  temporal: Client;
  /** The stack's own database: `db` is one connection to it. */
  databaseUrl: string;
  db: PgClient;
  call(service: Domain, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<HttpAnswer>;
  /** Restarts the four services with `env` changed, as a deployment would (e.g. with a rotated key set). */
  restartServices(env: NodeJS.ProcessEnv): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the four services (and the agency simulator, if asked) on a fresh database and namespace of
 * the test servers, or of `servers` (the fault tests bring their own, to restart them).
 */
export async function startE2eStack(
  prefix: string,
  options: { env?: NodeJS.ProcessEnv; simulator?: boolean; servers?: TestServers } = {},
): Promise<E2eStack> {
  const servers = options.servers ?? testStack();
  const [databaseUrl, namespace] = await Promise.all([createTestDatabase(prefix, servers.databaseUrl), createTestNamespace(prefix, servers.temporalAddress)]);
  const [gatewayTransportPort, agencyTransportPort, simulatorPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: servers.temporalAddress,
    TEMPORAL_NAMESPACE: namespace,
    PAYLOAD_ENCRYPTION_KEYS: servers.payloadKeys,
    SHUTDOWN_GRACE_TIME: '5 seconds',
    // Suites run side by side: the gateway's and the agency's transports get ports of their own.
    EMPLOYMENT_AGENCY_GATEWAY_TRANSPORT_PORT: String(gatewayTransportPort),
    AGENCY_ADDRESS: `127.0.0.1:${agencyTransportPort}`,
    AGENCY_TRANSPORT_PORT: String(agencyTransportPort),
    AGENCY_GATEWAY_ADDRESS: `127.0.0.1:${gatewayTransportPort}`,
    ...options.env,
  };
  const simulator = options.simulator ? new ServiceProcess('agency-simulator', simulatorPort, env) : undefined;
  const services = await startServices(env);
  await simulator?.start().catch(async (error: unknown) => {
    await Promise.all(Object.values(services).map((service) => service.stop('SIGKILL')));
    throw error;
  });
  const connection = await Connection.connect({ address: servers.temporalAddress });
  const db = new PgClient({ connectionString: databaseUrl });
  await db.connect();
  return {
    services,
    simulator,
    temporal: new Client({ connection, namespace, dataConverter: testDataConverter(env.PAYLOAD_ENCRYPTION_KEYS) }),
    databaseUrl,
    db,
    async call(service, method, path, body) {
      const response = await fetch(`${services[service].url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
        // A request that gets no answer fails the test rather than hanging it.
        signal: AbortSignal.timeout(60_000),
      });
      const text = await response.text();
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
    },
    async restartServices(changed) {
      await Promise.all(Object.values(services).map((service) => service.restart(changed)));
    },
    async close() {
      await Promise.all([...Object.values(services), ...(simulator ? [simulator] : [])].map((service) => service.stop()));
      await db.end();
      await connection.close();
    },
  };
}
