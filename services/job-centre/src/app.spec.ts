import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { TRANSFER_FLOWS } from '@handoffs/contracts';
import { TransferLogEntry } from '@handoffs/handoff-records';
import {
  ANSWER_ALLOWED,
  SUBJECT,
  newCaseRef,
  testStack,
  testDataConverter,
} from '@handoffs/testing';
import { describeDomainServiceBasics, startInProcess, type InProcessService } from '@handoffs/service-kit/testing';
import { AppModule } from './app.module';
import { createStatusClarificationActivities } from './status-clarification/status-clarification.activities';
import { StatusClarificationRecord } from './status-clarification/status-clarification.entity';

describe('job-centre service', () => {
  let service: InProcessService;
  let temporal: Client;
  let connection: Connection;

  beforeAll(async () => {
    service = await startInProcess('job-centre', (config) => AppModule.forRoot(config));
    connection = await Connection.connect({ address: testStack().temporalAddress });
    temporal = new Client({ connection, namespace: service.config.temporalNamespace, dataConverter: testDataConverter() });
  });
  afterAll(async () => {
    await service?.app.close();
    await connection?.close();
  });

  describeDomainServiceBasics(() => service);

  const request = (caseRef: string) => ({ caseRef, caseworkerId: 'jc.mueller', subject: SUBJECT, questions: ['employment-permitted'] });
  const records = () => service.app.get(DataSource).getRepository(StatusClarificationRecord);

  describe('asking for a status clarification', () => {
    it('records the request and starts one handoff, however often it is sent', async () => {
      const caseRef = newCaseRef();
      const first = await service.request('POST', '/status-clarifications', request(caseRef));
      const again = await service.request('POST', '/status-clarifications', request(caseRef));
      expect([first.status, again.status]).toEqual([202, 200]);
      expect(again.body.handoffId).toBe(first.body.handoffId);
      expect(await records().countBy({ caseRef })).toBe(1);
      const description = await temporal.workflow.getHandle(first.body.handoffId).describe();
      expect(description).toMatchObject({ status: { name: 'RUNNING' }, taskQueue: 'immigration', type: 'statusClarification' });
      expect(await service.request('GET', `/status-clarifications/${caseRef}`)).toMatchObject({ status: 200, body: { state: 'requested' } });
    });

    it('writes nothing and starts nothing for an invalid request', async () => {
      const caseRef = newCaseRef();
      const response = await service.request('POST', '/status-clarifications', { ...request(caseRef), questions: [] });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['questions']);
      expect(await records().countBy({ caseRef })).toBe(0);
      await expect(temporal.workflow.getHandle(`status-clarification:${caseRef}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    });

    it('answers 404 for a case it has no clarification for', async () => {
      expect((await service.request('GET', `/status-clarifications/${newCaseRef()}`)).status).toBe(404);
      expect((await service.request('GET', '/status-clarifications/not-a-case')).status).toBe(404);
    });
  });

  describe('receiving the answer', () => {
    it('records the answer and its receipt once, however often the activity is retried', async () => {
      const caseRef = newCaseRef();
      await service.request('POST', '/status-clarifications', request(caseRef));
      const dataSource = service.app.get(DataSource);
      const delivery = {
        workflowId: `status-clarification:${caseRef}`,
        caseRef,
        outcome: 'CLEARED' as const,
        answer: ANSWER_ALLOWED,
        answeredBy: { domain: 'immigration' as const, caseworkerId: 'abh.schmidt' },
        answeredAt: new Date().toISOString(),
        receivedTransfer: {
          workflowId: `status-clarification:${caseRef}`,
          caseRef,
          process: 'status-clarification' as const,
          flowId: TRANSFER_FLOWS.statusAnswer.id,
          direction: 'received' as const,
          counterpart: 'immigration' as const,
          legalBasis: TRANSFER_FLOWS.statusAnswer.legalBasis,
          purpose: TRANSFER_FLOWS.statusAnswer.purpose,
          fieldNames: ['employmentPermission', 'validUntil'],
          occurredAt: new Date().toISOString(),
        },
      };
      const activities = createStatusClarificationActivities(dataSource);
      await Promise.all([activities.deliverStatusAnswer(delivery), activities.deliverStatusAnswer(delivery)]);
      expect(await records().findOneByOrFail({ caseRef })).toMatchObject({ state: 'answered', outcome: 'CLEARED', validUntil: ANSWER_ALLOWED.validUntil });
      expect(await dataSource.getRepository(TransferLogEntry).countBy({ caseRef, direction: 'received' })).toBe(1);
    });
  });
});
