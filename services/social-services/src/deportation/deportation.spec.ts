import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEPORTATION_FLOWS, socialWorkerDateWindow, type TransferRecord } from '@handoffs/contracts';
import { InboxTask, TransferLogEntry } from '@handoffs/handoff-records';
import { newCaseRef } from '@handoffs/testing';
import { startInProcess, type InProcessService } from '@handoffs/service-kit/testing';
import { AppModule } from '../app.module';
import { createDeportationActivities } from './deportation.activities';
import { DeportationBenefit, DeportationParticipation } from './deportation.entities';

const HOUR_MS = 3_600_000;
const KSD = { domain: 'social-services' as const, caseworkerId: 'ksd.becker' };

describe('social services in a deportation (KSD, AsylbLG)', () => {
  let service: InProcessService;
  let dataSource: DataSource;
  let activities: ReturnType<typeof createDeportationActivities>;

  beforeAll(async () => {
    service = await startInProcess('social-services', (config) => AppModule.forRoot(config));
    dataSource = service.app.get(DataSource);
    activities = createDeportationActivities(dataSource);
  });
  afterAll(() => service?.app.close());

  function transfer(caseRef: string, flowId: string): TransferRecord {
    const flow = Object.values(DEPORTATION_FLOWS).find((f) => f.id === flowId)!;
    return {
      workflowId: `deportation:${caseRef}`,
      caseRef,
      process: 'deportation',
      flowId,
      direction: 'received',
      counterpart: flow.from,
      legalBasis: flow.legalBasis,
      purpose: flow.purpose,
      fieldNames: ['plannedAt'],
      occurredAt: new Date().toISOString(),
    };
  }

  async function participated(caseRef: string, plannedAt: string) {
    const workflowId = `deportation:${caseRef}`;
    const record = { workflowId, caseRef, socialWorker: KSD, finding: 'no-concern' as const, concernReason: null, recordedAt: new Date().toISOString() };
    await Promise.all([activities.recordParticipation(record), activities.recordParticipation(record)]);
    const window = socialWorkerDateWindow(plannedAt);
    const share = { workflowId, caseRef, plannedAt, visibleFrom: window.from, visibleUntil: window.until, receivedTransfer: transfer(caseRef, 'P2-ABH-KSD-SCHEDULE') };
    await Promise.all([activities.shareSchedule(share), activities.shareSchedule(share)]);
  }

  describe('its steps, idempotent against the real database', () => {
    it('records the participation and the date once, however often retried', async () => {
      const caseRef = newCaseRef('ABH');
      await participated(caseRef, new Date(Date.now() + 48 * HOUR_MS).toISOString());
      expect(await dataSource.getRepository(DeportationParticipation).countBy({ caseRef })).toBe(1);
      expect(await dataSource.getRepository(TransferLogEntry).countBy({ caseRef, flowId: 'P2-ABH-KSD-SCHEDULE' })).toBe(1);
    });

    it('plans the benefit end, restores it once when the deportation is called off, and releases the assignment', async () => {
      const caseRef = newCaseRef('ABH');
      const workflowId = `deportation:${caseRef}`;
      await participated(caseRef, new Date(Date.now() + 48 * HOUR_MS).toISOString());
      const end = { workflowId, caseRef, endsOn: '2026-12-15', receivedTransfer: transfer(caseRef, 'P2-ABH-SA-DEPARTURE') };
      await Promise.all([activities.planBenefitEnd(end), activities.planBenefitEnd(end)]);
      const benefits = dataSource.getRepository(DeportationBenefit);
      expect(await benefits.findOneByOrFail({ caseRef })).toMatchObject({ state: 'ending', endsOn: '2026-12-15' });

      const unwinding = { workflowId, caseRef, reason: 'court-stay' as const, at: new Date().toISOString() };
      await Promise.all([activities.restoreBenefits(unwinding), activities.restoreBenefits(unwinding)]);
      expect(await benefits.findOneByOrFail({ caseRef })).toMatchObject({ state: 'restored', endsOn: null, restoreReason: 'court-stay' });
      await activities.releaseAssignment(unwinding);
      await activities.releaseAssignment(unwinding);
      expect(await dataSource.getRepository(DeportationParticipation).findOneByOrFail({ caseRef })).toMatchObject({
        state: 'released',
        socialWorker: null,
        plannedAt: null,
        releaseReason: 'court-stay',
      });
      expect((await service.request('GET', `/deportation-participations/${caseRef}/planned-date?caseworkerId=ksd.becker`)).status).toBe(403);
    });

    it('ends benefits on the day of departure, even where the planned day differed', async () => {
      const caseRef = newCaseRef('ABH');
      const workflowId = `deportation:${caseRef}`;
      await activities.planBenefitEnd({ workflowId, caseRef, endsOn: '2026-12-15' });
      await Promise.all([
        activities.endBenefitsOnDeparture({ workflowId, caseRef, endsOn: '2026-12-16' }),
        activities.endBenefitsOnDeparture({ workflowId, caseRef, endsOn: '2026-12-16' }),
      ]);
      await activities.restoreBenefits({ workflowId, caseRef, reason: 'failed-attempt', at: new Date().toISOString() });
      expect(await dataSource.getRepository(DeportationBenefit).findOneByOrFail({ caseRef })).toMatchObject({ state: 'ended', endsOn: '2026-12-16' });
    });
  });

  describe('the date, for the assigned social worker only and time-boxed', () => {
    it('shows it to the assigned social worker within the window', async () => {
      const caseRef = newCaseRef('ABH');
      const plannedAt = new Date(Date.now() + 48 * HOUR_MS).toISOString();
      await participated(caseRef, plannedAt);
      expect(await service.request('GET', `/deportation-participations/${caseRef}/planned-date?caseworkerId=ksd.becker`)).toMatchObject({
        status: 200,
        body: { caseRef, plannedAt },
      });
      const other = await service.request('GET', `/deportation-participations/${caseRef}/planned-date?caseworkerId=ksd.other`);
      expect(other.status).toBe(403);
      expect(JSON.stringify(other.body)).not.toContain(plannedAt.slice(0, 10));
    });

    it('refuses it before the window opens', async () => {
      const caseRef = newCaseRef('ABH');
      await participated(caseRef, new Date(Date.now() + 10 * 24 * HOUR_MS).toISOString());
      expect((await service.request('GET', `/deportation-participations/${caseRef}/planned-date?caseworkerId=ksd.becker`)).status).toBe(403);
    });

    it('answers 404 for no case and 400 without a staff ID', async () => {
      expect((await service.request('GET', `/deportation-participations/${newCaseRef('ABH')}/planned-date?caseworkerId=ksd.becker`)).status).toBe(404);
      const bad = await service.request('GET', `/deportation-participations/${newCaseRef('ABH')}/planned-date?caseworkerId=Frau%20Becker&role=x`);
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['caseworkerId', 'role']);
    });
  });

  describe('completing the participation task and reporting a separation', () => {
    const unknownTask = `/inbox/tasks/${randomUUID()}/participation`;

    it('names every bad field', async () => {
      const response = await service.request('POST', unknownTask, { caseworkerId: 'Frau Becker', finding: 'maybe', concernReason: 'gut-feeling', note: 'x' });
      expect(response.status).toBe(400);
      expect(response.contentType).toContain('application/problem+json');
      expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['caseworkerId', 'concernReason', 'finding', 'note']);
      const separation = await service.request('POST', `/deportation-participations/${newCaseRef('ABH')}/separations`, { caseworkerId: 'ksd.becker', childAge: 19, circumstance: 'lost', name: 'Lina' });
      expect(separation.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['childAge', 'circumstance', 'name']);
    });

    it('answers 404 for an unknown task or case, and 409 for a task already completed', async () => {
      expect((await service.request('POST', unknownTask, { caseworkerId: 'ksd.becker', finding: 'no-concern' })).status).toBe(404);
      const separation = await service.request('POST', `/deportation-participations/${newCaseRef('ABH')}/separations`, { caseworkerId: 'ksd.becker', childAge: 9, circumstance: 'hospitalised' });
      expect(separation.status).toBe(404);

      const caseRef = newCaseRef('ABH');
      const task = await dataSource.getRepository(InboxTask).save({
        id: randomUUID(),
        workflowId: `deportation:${caseRef}`,
        caseRef,
        process: 'deportation',
        kind: 'child-welfare-participation',
        state: 'completed',
        dueAt: new Date(),
        details: { family: { childrenAges: [4] } },
        completedBy: KSD,
        resolution: { finding: 'no-concern' },
        closedAt: new Date(),
      });
      const again = await service.request('POST', `/inbox/tasks/${task.id}/participation`, { caseworkerId: 'ksd.other', finding: 'concern', concernReason: 'medical-needs' });
      expect(again).toMatchObject({ status: 409, body: { recorded: { state: 'completed', completedBy: KSD } } });
    });
  });
});
