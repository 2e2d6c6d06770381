import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { LEGAL_DOMAIN_TRANSFER_FLOWS, type TransferRecord } from '@handoffs/contracts';
import { InboxTask, TransferLogEntry } from '@handoffs/handoff-records';
import { newCaseRef, testStack, testDataConverter } from '@handoffs/testing';
import { startInProcess, type InProcessService } from '@handoffs/service-kit/testing';
import { AppModule } from '../app.module';
import { AsylbLGBenefit } from './asylblg-benefit.entity';
import { createLegalDomainTransferActivities } from './legal-domain-transfer.activities';

describe('social services: legal-domain transfer (P3a)', () => {
  let service: InProcessService;
  let temporal: Client;
  let connection: Connection;

  beforeAll(async () => {
    service = await startInProcess('social-services', (config) => AppModule.forRoot(config));
    connection = await Connection.connect({ address: testStack().temporalAddress });
    temporal = new Client({ connection, namespace: service.config.temporalNamespace, dataConverter: testDataConverter() });
  });
  afterAll(async () => {
    await service?.app.close();
    await connection?.close();
  });

  const report = (caseRef: string) => ({
    caseRef,
    caseworkerId: 'sa.yilmaz',
    recognition: { kind: 'refugee-status', servedOn: '2026-11-20' },
    asylblg: { since: '2025-03-01', payments: [{ from: '2026-11-01', to: '2026-11-30' }] },
  });
  const dataSource = () => service.app.get(DataSource);
  const benefits = () => dataSource().getRepository(AsylbLGBenefit);

  describe('reporting a recognition', () => {
    it('records it and starts one transfer on the job centre queue, however often it is sent', async () => {
      const caseRef = newCaseRef('SA');
      const first = await service.request('POST', '/legal-domain-transfers', report(caseRef));
      const again = await service.request('POST', '/legal-domain-transfers', report(caseRef));
      expect([first.status, again.status]).toEqual([202, 200]);
      expect(first.body).toMatchObject({ caseRef, handoffId: `legal-domain-transfer:${caseRef}`, state: 'running', endsOn: null });
      expect(await benefits().countBy({ caseRef })).toBe(1);
      const description = await temporal.workflow.getHandle(first.body.handoffId).describe();
      expect(description).toMatchObject({ status: { name: 'RUNNING' }, taskQueue: 'job-centre', type: 'legalDomainTransfer' });
      expect(await service.request('GET', `/legal-domain-transfers/${caseRef}`)).toMatchObject({ status: 200, body: { since: '2025-03-01' } });

      const different = await service.request('POST', '/legal-domain-transfers', { ...report(caseRef), recognition: { kind: 'subsidiary-protection', servedOn: '2026-11-20' } });
      expect(different.status).toBe(409);
      expect(different.body.recorded).toMatchObject({ caseRef, recognition: { kind: 'refugee-status' } });
    });

    it('answers bad input with problem+json naming each bad field, and writes and starts nothing', async () => {
      const caseRef = newCaseRef('SA');
      const invalid = await service.request('POST', '/legal-domain-transfers', {
        ...report(caseRef),
        caseworkerId: 'Sabine Yilmaz',
        recognition: { kind: 'likes-it-here', servedOn: '20.11.2026' },
        asylblg: { since: '2025-03-01', payments: [] },
        nationality: 'SY',
      });
      expect(invalid.status).toBe(400);
      expect(invalid.contentType).toContain('application/problem+json');
      expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
        ['asylblg.payments', 'caseworkerId', 'nationality', 'recognition.kind', 'recognition.servedOn'].sort(),
      );
      const impossible = await service.request('POST', '/legal-domain-transfers', {
        ...report(caseRef),
        recognition: { kind: 'refugee-status', servedOn: '2026-02-30' },
        asylblg: { since: '2025-03-01', payments: [{ from: '2026-11-30', to: '2026-11-01' }] },
      });
      expect(impossible.status).toBe(400);
      expect(impossible.body.errors.map((e: { field: string }) => e.field)).toEqual(['recognition.servedOn', 'asylblg.payments.0']);
      expect((await service.request('POST', '/legal-domain-transfers', '{"caseRef": ')).status).toBe(400);
      expect(await benefits().countBy({ caseRef })).toBe(0);
      await expect(temporal.workflow.getHandle(`legal-domain-transfer:${caseRef}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    });

    it('answers 404 for an unknown case or task and 400 for a bad confirmation', async () => {
      expect((await service.request('GET', `/legal-domain-transfers/${newCaseRef('SA')}`)).status).toBe(404);
      expect((await service.request('GET', '/legal-domain-transfers/Haddad')).status).toBe(404);
      const unknownTask = await service.request('POST', '/inbox/tasks/0b7d4a52-7a43-4f7e-bb1c-2d0c1e9f3a11/effective-date', {
        caseworkerId: 'sa.yilmaz',
        effectiveDate: '2026-11-20',
      });
      expect(unknownTask.status).toBe(404);
      const bad = await service.request('POST', '/inbox/tasks/0b7d4a52-7a43-4f7e-bb1c-2d0c1e9f3a11/effective-date', { effectiveDate: 'soon' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['caseworkerId', 'effectiveDate']);
    });
  });

  describe('its activities', () => {
    it('write nothing twice however often they are retried, and keep the first decision', async () => {
      const caseRef = newCaseRef('SA');
      await service.request('POST', '/legal-domain-transfers', report(caseRef));
      const workflowId = `legal-domain-transfer:${caseRef}`;
      const activities = createLegalDomainTransferActivities(dataSource());

      const task = { taskId: '6f1c2a8e-0d4b-4c3e-9a7f-1b2c3d4e5f60', workflowId, caseRef, kind: 'effective-date-confirmation', dueAt: new Date().toISOString(), details: {} };
      const opened = await Promise.all([activities.openEffectiveDateTask(task), activities.openEffectiveDateTask({ ...task, taskId: '7a2d3b9f-1e5c-4d4f-8b80-2c3d4e5f6071' })]);
      expect(new Set(opened.map((o) => o.taskId)).size).toBe(1);
      expect(await dataSource().getRepository(InboxTask).countBy({ workflowId })).toBe(1);

      const termination = {
        workflowId,
        caseRef,
        effectiveDate: '2026-11-20',
        asylblgEnd: '2026-11-30',
        ruleSetVersion: 'P3a-2024-01',
        decidedBy: { domain: 'social-services' as const, caseworkerId: 'sa.yilmaz' },
        decidedAt: '2026-11-24T10:00:00.000Z',
      };
      await activities.endAsylblg(termination);
      const facts = await activities.endAsylblg({ ...termination, decidedAt: '2026-11-24T11:00:00.000Z' });
      expect(facts).toEqual({ since: '2025-03-01', payments: [{ from: '2026-11-01', to: '2026-11-30' }] });
      expect(await benefits().findOneByOrFail({ caseRef })).toMatchObject({
        state: 'ending',
        endsOn: '2026-11-30',
        termination: { decidedAt: '2026-11-24T10:00:00.000Z', ruleSetVersion: 'P3a-2024-01' },
      });
      await activities.settleAsylblgPayments({ workflowId, caseRef, asylblgEnd: '2026-11-30' });
      expect((await benefits().findOneByOrFail({ caseRef })).state).toBe('ended');

      const flow = LEGAL_DOMAIN_TRANSFER_FLOWS.reimbursementClaim;
      const sentTransfer: TransferRecord = {
        workflowId,
        caseRef,
        process: 'legal-domain-transfer',
        flowId: flow.id,
        direction: 'sent',
        counterpart: 'job-centre',
        legalBasis: flow.legalBasis,
        purpose: flow.purpose,
        fieldNames: ['assertBy', 'days.from', 'days.to'],
        occurredAt: new Date().toISOString(),
      };
      const claim = { workflowId, caseRef, days: { from: '2026-12-01', to: '2026-12-31' }, assertBy: '2027-12-31', sentTransfer };
      await Promise.all([activities.assertReimbursementClaim(claim), activities.assertReimbursementClaim(claim)]);
      expect((await benefits().findOneByOrFail({ caseRef })).reimbursement).toMatchObject({ dayCount: 31, against: 'job-centre' });
      expect(await dataSource().getRepository(TransferLogEntry).countBy({ caseRef })).toBe(1);
    });

    it('refuses an AsylbLG end that is not a month end (database constraint)', async () => {
      const caseRef = newCaseRef('SA');
      await service.request('POST', '/legal-domain-transfers', report(caseRef));
      await expect(benefits().update({ caseRef }, { endsOn: '2026-11-20' })).rejects.toThrow(/asylblg_ends_on_month_end/);
    });
  });
});
