import { DataSource } from 'typeorm';
import { LEGAL_DOMAIN_TRANSFER_FLOWS, type TransferRecord } from '@handoffs/contracts';
import { TransferLogEntry } from '@handoffs/handoff-records';
import { newCaseRef } from '@handoffs/testing';
import { startInProcess, type InProcessService } from '@handoffs/service-kit/testing';
import { AppModule } from '../app.module';
import { createLegalDomainTransferActivities } from './legal-domain-transfer.activities';
import { ReimbursementClaim, Sgb2Application } from './sgb2-application.entity';

describe('job centre: legal-domain transfer (P3a)', () => {
  let service: InProcessService;

  beforeAll(async () => {
    service = await startInProcess('job-centre', (config) => AppModule.forRoot(config));
  });
  afterAll(() => service?.app.close());

  const dataSource = () => service.app.get(DataSource);

  function transfer(caseRef: string, flow: (typeof LEGAL_DOMAIN_TRANSFER_FLOWS)[keyof typeof LEGAL_DOMAIN_TRANSFER_FLOWS], fieldNames: string[]): TransferRecord {
    return {
      workflowId: `legal-domain-transfer:${caseRef}`,
      caseRef,
      process: 'legal-domain-transfer',
      flowId: flow.id,
      direction: 'received',
      counterpart: 'social-services',
      legalBasis: flow.legalBasis,
      purpose: flow.purpose,
      fieldNames,
      occurredAt: new Date().toISOString(),
    };
  }

  it('hosts the workflows now: its worker runs them', async () => {
    expect(await service.request('GET', '/health')).toMatchObject({ status: 200, body: { worker: 'RUNNING' } });
  });

  it('records the application, the advance, the decision and the reimbursement claim once each, however often retried', async () => {
    const caseRef = newCaseRef('SA');
    const workflowId = `legal-domain-transfer:${caseRef}`;
    const activities = createLegalDomainTransferActivities(dataSource());
    const receipt = {
      workflowId,
      caseRef,
      asylblgEnd: '2026-12-31',
      sgb2Start: '2027-01-01',
      filedOn: '2026-11-24',
      handedOverBy: { domain: 'social-services' as const, caseworkerId: 'sa.yilmaz' },
      receivedTransfer: transfer(caseRef, LEGAL_DOMAIN_TRANSFER_FLOWS.applicationHandover, ['asylblgEnd', 'sgb2Start']),
    };
    await Promise.all([activities.receiveSgb2Application(receipt), activities.receiveSgb2Application(receipt)]);
    const advance = { workflowId, caseRef, from: '2027-01-01', grantedAt: '2026-12-30T00:00:00.000Z', ruleSetVersion: 'P3a-2024-01' };
    await activities.paySgb2Advance(advance);
    await activities.paySgb2Advance({ ...advance, grantedAt: '2026-12-31T00:00:00.000Z' });
    const decided = {
      workflowId,
      caseRef,
      outcome: 'SGB2_ACTIVE' as const,
      decision: { kind: 'award' as const, from: '2027-01-01', until: '2027-12-31' },
      ruleSetVersion: 'P3a-2024-01',
      decidedBy: { domain: 'job-centre' as const, caseworkerId: 'jc.mueller' },
      decidedAt: '2027-01-05T09:00:00.000Z',
    };
    await activities.recordSgb2Decision(decided);
    await activities.recordSgb2Decision({ ...decided, outcome: 'NO_NEED', decision: { kind: 'no-need', reason: 'late retry' } });
    const claim = {
      workflowId,
      caseRef,
      days: { from: '2027-01-01', to: '2027-01-31' },
      assertBy: '2028-01-31',
      receivedTransfer: transfer(caseRef, LEGAL_DOMAIN_TRANSFER_FLOWS.reimbursementClaim, ['assertBy', 'days.from', 'days.to']),
    };
    await Promise.all([activities.receiveReimbursementClaim(claim), activities.receiveReimbursementClaim(claim)]);

    expect(await dataSource().getRepository(Sgb2Application).countBy({ caseRef })).toBe(1);
    expect(await dataSource().getRepository(ReimbursementClaim).countBy({ caseRef })).toBe(1);
    expect(await dataSource().getRepository(TransferLogEntry).countBy({ caseRef })).toBe(2);
    const shown = await service.request('GET', `/sgb2-applications/${caseRef}`);
    expect(shown).toMatchObject({
      status: 200,
      body: {
        state: 'decided',
        outcome: 'SGB2_ACTIVE',
        startsOn: '2027-01-01',
        awardFrom: '2027-01-01',
        advance: { from: '2027-01-01', grantedAt: '2026-12-30T00:00:00.000Z', legalBasis: '§ 42 SGB I' },
        ruleSetVersion: 'P3a-2024-01',
        reimbursementClaim: { claimant: 'social-services', from: '2027-01-01', to: '2027-01-31', days: 31, assertBy: '2028-01-31' },
      },
    });
  });

  it('refuses an SGB II start other than the day after AsylbLG ends (database constraint)', async () => {
    const caseRef = newCaseRef('SA');
    await expect(
      dataSource().getRepository(Sgb2Application).insert({
        caseRef,
        workflowId: `legal-domain-transfer:${caseRef}`,
        asylblgEnd: '2026-12-31',
        startsOn: '2027-01-02',
        filedOn: '2026-11-24',
        handedOverBy: { domain: 'social-services', caseworkerId: 'sa.yilmaz' },
        state: 'received',
      }),
    ).rejects.toThrow(/sgb2_starts_day_after_asylblg/);
  });

  it('answers bad decisions with problem+json naming each bad field, unknown tasks and cases with 404', async () => {
    const url = '/inbox/tasks/0b7d4a52-7a43-4f7e-bb1c-2d0c1e9f3a11/sgb-ii-decision';
    const bad = await service.request('POST', url, { caseworkerId: 'JC Mueller', decision: { kind: 'award', from: 'January' } });
    expect(bad.status).toBe(400);
    expect(bad.contentType).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['caseworkerId', 'decision.from', 'decision.until']);
    const noReason = await service.request('POST', url, { caseworkerId: 'jc.mueller', decision: { kind: 'no-need' } });
    expect(noReason.body.errors.map((e: { field: string }) => e.field)).toEqual(['decision.reason']);
    const unknown = await service.request('POST', url, { caseworkerId: 'jc.mueller', decision: { kind: 'no-need', reason: 'income covers need' } });
    expect(unknown.status).toBe(404);
    expect((await service.request('GET', `/sgb2-applications/${newCaseRef('SA')}`)).status).toBe(404);
  });
});
