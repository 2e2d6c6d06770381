import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { DOMAINS, type Domain, type ServiceName } from '@handoffs/contracts';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Where the built services are: dist/services, or SERVICES_DIST (see scripts/build-service.mjs). */
export const SERVICES_DIST = process.env.SERVICES_DIST ?? path.join(REPO_ROOT, 'dist', 'services');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A built service (`dist/services/<domain>/main.js`) run as its own process, as in production. */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  readonly output: string[] = [];

  private env: NodeJS.ProcessEnv;
  /** The folder of built services this process runs from: SERVICES_DIST, until a deploy brings another build. */
  private dist = SERVICES_DIST;

  constructor(
    readonly domain: ServiceName,
    readonly port: number,
    env: NodeJS.ProcessEnv,
  ) {
    this.env = { ...env };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const main = path.join(this.dist, this.domain, 'main.js');
    const child = spawn(process.execPath, [main], {
      // NODE_PATH: a build outside the workspace (SERVICES_DIST) still finds the workspace's packages.
      env: { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules'), ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await this.waitUntilHealthy();
  }

  async waitUntilHealthy(timeoutMs = 60000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null) {
        throw new Error(`${this.domain} exited with ${this.child?.exitCode}:\n${this.output.join('').slice(-3000)}`);
      }
      try {
        const response = await fetch(`${this.url}/health`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${this.domain} did not become healthy:\n${this.output.join('').slice(-3000)}`);
  }

  /**
   * Stops the process (draining) and starts it again on the same port, with `env` changed (e.g. rotated
   * keys) and, for a deploy, from another folder of built services (`fromDist`, see scripts/build-service.mjs).
   */
  async restart(env: NodeJS.ProcessEnv = {}, fromDist?: string): Promise<void> {
    await this.stop();
    this.env = { ...this.env, ...env };
    if (fromDist) this.dist = fromDist;
    await this.start();
  }

  /** Ends the process with `signal` and waits for it to be gone. SIGKILL is a crash: nothing drains. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null) return this.child?.exitCode ?? null;
    this.child.kill(signal);
    return this.exited ?? null;
  }
}

/** Starts all four domain services against one database and one Temporal namespace, on free ports. */
export async function startServices(serviceEnv: NodeJS.ProcessEnv): Promise<Record<Domain, ServiceProcess>> {
  // The gateway also listens on a TCP transport for the agency's answers: a free port too, unless given.
  const env = { EMPLOYMENT_AGENCY_GATEWAY_TRANSPORT_PORT: String(await freePort()), ...serviceEnv };
  const services = await Promise.all(DOMAINS.map(async (domain) => new ServiceProcess(domain, await freePort(), env)));
  const started = await Promise.allSettled(services.map((service) => service.start()));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    // Stop the others, or their open pipes keep the test run alive.
    await Promise.all(services.map((service) => service.stop('SIGKILL')));
    throw failed.reason;
  }
  return Object.fromEntries(services.map((s) => [s.domain, s])) as Record<Domain, ServiceProcess>;
}
