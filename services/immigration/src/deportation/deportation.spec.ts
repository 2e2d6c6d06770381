import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { CaseRef, HandoffStage, OwningDomain } from '@handoffs/contracts';
import { eventually, newCaseRef, testStack, testDataConverter } from '@handoffs/testing';
import { startInProcess, type InProcessService } from '@handoffs/service-kit/testing';
import { AppModule } from '../app.module';
import { DeportationCase } from './deportation-case.entity';

const DAY_MS = 86_400_000;

/** The immigration office's deportation API in-process; social services are absent, so the case waits on them. */
describe('immigration service: deportation cases', () => {
  let service: InProcessService;
  let temporal: Client;
  let connection: Connection;

  beforeAll(async () => {
    service = await startInProcess('immigration', (config) => AppModule.forRoot(config));
    connection = await Connection.connect({ address: testStack().temporalAddress });
    temporal = new Client({ connection, namespace: service.config.temporalNamespace, dataConverter: testDataConverter() });
  });
  afterAll(async () => {
    await service?.app.close();
    await connection?.close();
  });

  const plannedDate = new Date(Date.now() + 14 * DAY_MS).toISOString().slice(0, 10);
  const request = (caseRef: string) => ({ caseRef, caseworkerId: 'abh.vollzug', childrenAges: [4, 9], vulnerabilities: ['school-age-children'], plannedDate });
  const cases = () => service.app.get(DataSource).getRepository(DeportationCase);

  it('opens one case and one handoff, however often it is sent, and refuses a different one under the same reference', async () => {
    const caseRef = newCaseRef('ABH');
    const first = await service.request('POST', '/deportations', request(caseRef));
    const again = await service.request('POST', '/deportations', request(caseRef));
    expect([first.status, again.status]).toEqual([202, 200]);
    expect(again.body.handoffId).toBe(`deportation:${caseRef}`);
    expect(JSON.stringify(first.body)).not.toContain(plannedDate);
    const conflict = await service.request('POST', '/deportations', { ...request(caseRef), childrenAges: [4, 9, 12] });
    expect(conflict).toMatchObject({ status: 409, body: { recorded: { caseRef } } });
    expect(await cases().countBy({ caseRef })).toBe(1);

    const handle = temporal.workflow.getHandle(`deportation:${caseRef}`);
    expect(await handle.describe()).toMatchObject({ status: { name: 'RUNNING' }, taskQueue: 'immigration', type: 'deportation' });
    const attributes = await eventually(async () => {
      const typed = (await handle.describe()).typedSearchAttributes;
      return typed.get(HandoffStage) ? typed : undefined;
    });
    expect([attributes.get(CaseRef), attributes.get(OwningDomain)]).toEqual([caseRef, 'immigration']);
  });

  it('writes nothing and starts nothing for an invalid request, naming each bad field', async () => {
    const caseRef = newCaseRef('ABH');
    const response = await service.request('POST', '/deportations', {
      ...request(caseRef),
      childrenAges: [4, 19],
      vulnerabilities: ['unknown'],
      plannedDate: '15.12.2026',
      childrenNames: ['Lina'],
    });
    expect(response.status).toBe(400);
    expect(response.contentType).toContain('application/problem+json');
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['childrenAges', 'childrenNames', 'plannedDate', 'vulnerabilities']);
    const past = await service.request('POST', '/deportations', { ...request(caseRef), plannedDate: '2020-01-01' });
    expect(past.body.errors.map((e: { field: string }) => e.field)).toEqual(['plannedDate']);
    const badRef = await service.request('POST', '/deportations', { ...request('Haddad Lina'), caseworkerId: 'Herr X' });
    expect(badRef.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['caseRef', 'caseworkerId']);
    expect(await cases().countBy({ caseRef })).toBe(0);
    await expect(temporal.workflow.getHandle(`deportation:${caseRef}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('shows the date to immigration enforcement only', async () => {
    const caseRef = newCaseRef('ABH');
    await service.request('POST', '/deportations', request(caseRef));
    expect(await service.request('GET', `/deportations/${caseRef}/planned-date?caseworkerId=abh.vollzug&role=enforcement`)).toMatchObject({
      status: 200,
      body: { caseRef, plannedDate, plannedAt: null },
    });
    const caseworker = await service.request('GET', `/deportations/${caseRef}/planned-date?caseworkerId=abh.schmidt&role=caseworker`);
    expect(caseworker.status).toBe(403);
    expect(JSON.stringify(caseworker.body)).not.toContain(plannedDate);
    expect((await service.request('GET', `/deportations/${caseRef}/planned-date?caseworkerId=abh.schmidt`)).status).toBe(400);
    expect((await service.request('GET', `/deportations/${newCaseRef('ABH')}/planned-date?caseworkerId=abh.vollzug&role=enforcement`)).status).toBe(404);
  });

  it('refuses to schedule or execute before the KSD took part, and closes the case on cancellation', async () => {
    const caseRef = newCaseRef('ABH');
    await service.request('POST', '/deportations', request(caseRef));
    const plannedAt = new Date(Date.now() + 2 * DAY_MS).toISOString();
    const schedule = await eventually(async () => {
      const response = await service.request('POST', `/deportations/${caseRef}/schedule`, { caseworkerId: 'abh.vollzug', plannedAt });
      return response.status === 409 ? response : undefined;
    });
    expect(schedule.body).toMatchObject({ refusal: 'NotAwaitingDecision', stage: 'PREPARATION' });
    const execute = await service.request('POST', `/deportations/${caseRef}/execution`, { caseworkerId: 'abh.vollzug', departedAt: new Date().toISOString(), departure: 'deported' });
    expect(execute.status).toBe(409);
    expect((await cases().findOneByOrFail({ caseRef })).plannedAt).toBeNull();

    const bad = await service.request('POST', `/deportations/${caseRef}/cancellation`, { caseworkerId: 'abh.vollzug', reason: 'bored' });
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    const cancelled = await service.request('POST', `/deportations/${caseRef}/cancellation`, { caseworkerId: 'abh.vollzug', reason: 'court-stay' });
    expect(cancelled).toMatchObject({ status: 200, body: { stage: 'SUSPENDED' } });
    expect(await cases().findOneByOrFail({ caseRef })).toMatchObject({ state: 'cancelled', cancellationReason: 'court-stay' });
    const twice = await service.request('POST', `/deportations/${caseRef}/cancellation`, { caseworkerId: 'abh.vollzug', reason: 'absconded' });
    expect(twice).toMatchObject({ status: 409, body: { refusal: 'AlreadyClosed' } });
  });

  it('answers 404 for an unknown case or decision task, and 400 for bad decisions', async () => {
    expect((await service.request('GET', `/deportations/${newCaseRef('ABH')}`)).status).toBe(404);
    expect((await service.request('POST', `/deportations/${newCaseRef('ABH')}/cancellation`, { caseworkerId: 'abh.vollzug', reason: 'court-stay' })).status).toBe(404);
    expect((await service.request('POST', `/inbox/tasks/${randomUUID()}/decision`, { caseworkerId: 'abh.vollzug', decision: 'proceed' })).status).toBe(404);
    const bad = await service.request('POST', `/inbox/tasks/${randomUUID()}/decision`, { caseworkerId: 'abh.vollzug', decision: 'maybe', plannedDate: 'soon' });
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['decision', 'plannedDate']);
    const schedule = await service.request('POST', `/deportations/${newCaseRef('ABH')}/schedule`, { caseworkerId: 'abh.vollzug', plannedAt: 'tomorrow night', nightOverride: { reason: 'convenient' } });
    expect(schedule.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['nightOverride.reason', 'plannedAt']);
  });
});
