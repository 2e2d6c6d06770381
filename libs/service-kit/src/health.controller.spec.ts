import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import type { TemporalWorkerHost } from '@handoffs/temporal';
import { HealthController } from './health.controller';

/** The health rule alone, with its three dependencies replaced: 200 only when all three are there. */
describe('health', () => {
  async function healthWith(database: boolean, temporal: boolean, worker: string) {
    const dataSource = { query: async () => (database ? [{ '?column?': 1 }] : Promise.reject(new Error('down'))) } as unknown as DataSource;
    const host = { temporalReachable: async () => temporal, workerState: () => worker } as unknown as TemporalWorkerHost;
    const sent: { status?: number; body?: unknown } = {};
    const reply = {
      status(code: number) {
        sent.status = code;
        return this;
      },
      send(body: unknown) {
        sent.body = body;
        return this;
      },
    } as unknown as FastifyReply;
    await new HealthController(dataSource, host).health(reply);
    return sent;
  }

  it('is 200 while the database and Temporal answer and the worker runs', async () => {
    expect(await healthWith(true, true, 'RUNNING')).toEqual({
      status: 200,
      body: { status: 'ok', database: 'up', temporal: 'up', worker: 'RUNNING' },
    });
  });

  it.each([
    [false, true, 'RUNNING', { database: 'down' }],
    [true, false, 'RUNNING', { temporal: 'down' }],
    [true, true, 'DRAINING', { worker: 'DRAINING' }],
    [true, true, 'NOT_STARTED', { worker: 'NOT_STARTED' }],
  ])('is 503 naming what is missing (database %s, temporal %s, worker %s)', async (database, temporal, worker, missing) => {
    const sent = await healthWith(database, temporal, worker);
    expect(sent.status).toBe(503);
    expect(sent.body).toMatchObject({ status: 'unavailable', ...missing });
  });
});
