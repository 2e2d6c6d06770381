import { createHash, randomBytes } from 'node:crypto';
import type { Payload } from '@temporalio/common';
import { payloadsFromJson, payloadsToJson } from '@handoffs/temporal';
import { freePort, ServiceProcess } from './service-process';
import { testStack } from './stack';

/** The Web UI origin the test codec server grants CORS to. */
export const TEST_UI_ORIGIN = 'http://localhost:8233';

export interface TestSupervisor {
  id: string;
  token: string;
}

/** A supervisor with a fresh token, and the configuration entry (`<id>:<sha256 hex>`) that admits them. */
export function newSupervisor(id = 'sv.weber'): TestSupervisor & { tokenHashEntry: string } {
  const token = randomBytes(32).toString('base64url');
  return { id, token, tokenHashEntry: `${id}:${createHash('sha256').update(token).digest('hex')}` };
}

/** The built codec server as its own process, with one supervisor, speaking the codec protocol over HTTP. */
export interface TestCodecServer {
  server: ServiceProcess;
  url: string;
  supervisor: TestSupervisor;
  /** POSTs `payloads` to `/decode` as the supervisor (bearer token) and returns the decoded payloads. */
  decode(payloads: Payload[], namespace?: string): Promise<Payload[]>;
  stop(): Promise<void>;
}

export async function startCodecServer(env: NodeJS.ProcessEnv = {}): Promise<TestCodecServer> {
  const supervisor = newSupervisor();
  const server = new ServiceProcess('codec-server', await freePort(), {
    PAYLOAD_ENCRYPTION_KEYS: testStack().payloadKeys,
    CODEC_SUPERVISOR_TOKEN_HASHES: supervisor.tokenHashEntry,
    CODEC_ALLOWED_ORIGINS: TEST_UI_ORIGIN,
    ...env,
  });
  await server.start();
  return {
    server,
    url: server.url,
    supervisor: { id: supervisor.id, token: supervisor.token },
    async decode(payloads, namespace = 'default') {
      const response = await fetch(`${server.url}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-namespace': namespace, authorization: `Bearer ${supervisor.token}` },
        body: JSON.stringify(payloadsToJson(payloads)),
      });
      if (response.status !== 200) {
        throw new Error(`The codec server answered ${response.status}: ${await response.text()}`);
      }
      return payloadsFromJson(await response.json()).payloads;
    },
    async stop() {
      await server.stop();
    },
  };
}
