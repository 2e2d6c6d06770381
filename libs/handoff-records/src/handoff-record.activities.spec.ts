import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { TransferRecord } from '@handoffs/contracts';
import { createTestDatabase, newCaseRef } from '@handoffs/testing';
import { createHandoffRecordActivities } from './handoff-record.activities';
import { HANDOFF_RECORD_ENTITIES } from './index';
import { InboxTask } from './inbox-task.entity';
import { TransferLogEntry } from './transfer-log-entry.entity';
import { HANDOFF_RECORD_MIGRATIONS } from './migration';

/** The inbox and transfer-log activities against a real PostgreSQL: repeated attempts write nothing twice. */
describe('handoff record activities', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await new DataSource({
      type: 'postgres',
      url: await createTestDatabase('records'),
      entities: HANDOFF_RECORD_ENTITIES,
      migrations: HANDOFF_RECORD_MIGRATIONS,
    }).initialize();
    await dataSource.runMigrations();
  });

  afterAll(() => dataSource?.destroy());

  function transfer(caseRef: string): TransferRecord {
    return {
      workflowId: `status-clarification:${caseRef}`,
      caseRef,
      process: 'status-clarification',
      flowId: 'P1-JC-ABH-INQUIRY',
      direction: 'received',
      counterpart: 'job-centre',
      legalBasis: '§ 69 Abs. 1 Nr. 1 SGB X',
      purpose: 'Status clarification before placement',
      fieldNames: ['questions', 'subject.familyName'],
      occurredAt: new Date().toISOString(),
    };
  }

  it('opens one inbox task and logs its transfer once, however often the activity is retried', async () => {
    const activities = createHandoffRecordActivities(dataSource);
    const caseRef = newCaseRef();
    const task = {
      taskId: randomUUID(),
      workflowId: `status-clarification:${caseRef}`,
      caseRef,
      process: 'status-clarification' as const,
      kind: 'status-inquiry',
      dueAt: new Date(Date.now() + 3600_000).toISOString(),
      details: { questions: ['employment-permitted'] },
      receivedTransfer: transfer(caseRef),
    };
    const attempts = await Promise.all([activities.openInboxTask(task), activities.openInboxTask(task), activities.openInboxTask(task)]);
    expect(attempts.map((a) => a.taskId)).toEqual([task.taskId, task.taskId, task.taskId]);
    expect(await dataSource.getRepository(InboxTask).countBy({ caseRef })).toBe(1);
    expect(await dataSource.getRepository(TransferLogEntry).countBy({ caseRef })).toBe(1);

    const close = { workflowId: task.workflowId, kind: task.kind, state: 'completed' as const, completedBy: { domain: 'immigration' as const, caseworkerId: 'abh.schmidt' }, resolution: { outcome: 'CLEARED' }, closedAt: new Date().toISOString() };
    await activities.closeInboxTask(close);
    await activities.closeInboxTask({ ...close, completedBy: { domain: 'immigration', caseworkerId: 'abh.late' } });
    const closed = await dataSource.getRepository(InboxTask).findOneByOrFail({ caseRef });
    expect(closed).toMatchObject({ state: 'completed', completedBy: { caseworkerId: 'abh.schmidt' } });

    await activities.recordTransfer(transfer(caseRef));
    expect(await dataSource.getRepository(TransferLogEntry).countBy({ caseRef })).toBe(1);
  });
});
