// The built services as processes for the bench, each started on its own and timed from spawn to
// the first 200 from its /health: its cold start.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { childStopper } from '../processes.mjs';
import { SERVICE_ROSTER, serviceEntry } from '../service-roster.mjs';

/**
 * The bench's service ports, beside npm start's (the roster's) and the tests' free ports: each roster
 * port moved into a block from `base` (default 3200), by its last two digits, those of the 4000s ten
 * higher (with the default: 3201-3205, 3211, and the transports on 3210 and 3214).
 */
export function benchPorts(base) {
  const moved = (port) => base + (port >= 4000 ? 10 : 0) + (port % 100);
  return {
    ...Object.fromEntries(SERVICE_ROSTER.map(({ name, port }) => [name, moved(port)])),
    gatewayTransport: moved(serviceEntry('employment-agency-gateway').transportPort),
    agencyTransport: moved(serviceEntry('agency-simulator').transportPort),
  };
}

/** The environment every service gets for the bench: its port, the transports between gateway and simulator. */
export function serviceEnv(service, ports, env) {
  return {
    ...env,
    HOST: '127.0.0.1',
    PORT: String(ports[service]),
    EMPLOYMENT_AGENCY_GATEWAY_TRANSPORT_PORT: String(ports.gatewayTransport),
    AGENCY_ADDRESS: `127.0.0.1:${ports.agencyTransport}`,
    AGENCY_TRANSPORT_PORT: String(ports.agencyTransport),
    AGENCY_GATEWAY_ADDRESS: `127.0.0.1:${ports.gatewayTransport}`,
  };
}

/**
 * Starts `service` from `dist` and waits for its health.
 * @returns {Promise<{ pid: number, coldStartMs: number, stop: () => Promise<void> }>}
 */
export async function startService({ service, dist, port, env, logDir, nodeModules }) {
  const out = createWriteStream(path.join(logDir, `${service}.log`), { flags: 'a' });
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [path.join(dist, service, 'main.js')], {
    // NODE_PATH: a build outside the workspace (SERVICES_DIST) still finds the workspace's packages.
    env: { NODE_PATH: nodeModules, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const stop = childStopper(child, 'SIGTERM', () => {});
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${service} exited (${child.exitCode ?? child.signalCode}) before it was healthy; see ${path.join(logDir, `${service}.log`)}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${service} was not healthy within 60 s; see ${path.join(logDir, `${service}.log`)}`);
    }
    await sleep(25);
  }
  return { pid: child.pid, coldStartMs: Math.round(performance.now() - spawnedAt), stop };
}
