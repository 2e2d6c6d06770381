import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Domain } from '@handoffs/contracts';
import { createTestDatabase, createTestNamespace, testStack } from '@handoffs/testing';
import { createServiceApp } from './bootstrap';
import { loadServiceConfig, type ServiceConfig } from './config';
import { JsonLogger } from './json-logger';

export interface InProcessService {
  app: NestFastifyApplication;
  config: ServiceConfig;
  request(method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; contentType: string; body: any }>;
}

/**
 * One service in the test process, on its own database and Temporal namespace of the real test
 * stack, spoken to through Fastify's injection (no port). For `nx test <service>`.
 */
export async function startInProcess(
  domain: Domain,
  rootModuleFor: (config: ServiceConfig) => DynamicModule,
  env: NodeJS.ProcessEnv = {},
): Promise<InProcessService> {
  const [databaseUrl, namespace] = await Promise.all([createTestDatabase(domain), createTestNamespace(domain)]);
  const config = loadServiceConfig(domain, {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: testStack().temporalAddress,
    TEMPORAL_NAMESPACE: namespace,
    PAYLOAD_ENCRYPTION_KEYS: testStack().payloadKeys,
    SHUTDOWN_GRACE_TIME: '2 seconds',
    ...env,
  });
  const app = await createServiceApp(config, rootModuleFor(config), new JsonLogger(domain, () => undefined));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    config,
    async request(method, url, body) {
      const response = await app.inject({
        method,
        url,
        ...(body === undefined ? {} : typeof body === 'string' ? { payload: body, headers: { 'content-type': 'application/json' } } : { payload: body as object }),
      });
      return {
        status: response.statusCode,
        contentType: String(response.headers['content-type'] ?? ''),
        body: response.body ? JSON.parse(response.body) : undefined,
      };
    },
  };
}

/** What every domain service answers the same way: health, inbox listing, transfer-log validation, 404s. */
export function describeDomainServiceBasics(service: () => InProcessService): void {
  describe('the basics every domain service shares', () => {
    it('is healthy while its database and Temporal are reachable and its worker runs', async () => {
      expect(await service().request('GET', '/health')).toMatchObject({
        status: 200,
        body: { status: 'ok', database: 'up', temporal: 'up', worker: 'RUNNING' },
      });
    });

    it('lists its inbox and refuses unknown filters with problem+json', async () => {
      expect(await service().request('GET', '/inbox/tasks?state=open')).toMatchObject({ status: 200 });
      const bad = await service().request('GET', '/inbox/tasks?state=lost&colour=red');
      expect(bad.status).toBe(400);
      expect(bad.contentType).toContain('application/problem+json');
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['colour', 'state']);
    });

    it('answers 404 for a task it does not have and 400 for a malformed task ID', async () => {
      const missing = await service().request('GET', '/inbox/tasks/0b7d4a52-7a43-4f7e-bb1c-2d0c1e9f3a11');
      expect(missing).toMatchObject({ status: 404, body: { status: 404 } });
      expect((await service().request('GET', '/inbox/tasks/not-a-uuid')).status).toBe(400);
    });

    it('shows its transfer log by case reference only', async () => {
      expect(await service().request('GET', '/transfer-log?caseRef=JC-2026-000001')).toMatchObject({ status: 200, body: [] });
      const bad = await service().request('GET', '/transfer-log?caseRef=Haddad');
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('caseRef');
    });

    it('publishes its OpenAPI document', async () => {
      const openApi = await service().request('GET', '/docs-json');
      expect(openApi.body.paths['/health']).toBeDefined();
    });
  });
}
