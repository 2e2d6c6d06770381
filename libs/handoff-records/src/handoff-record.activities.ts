import type { DataSource, EntityManager } from 'typeorm';
import type { CloseInboxTask, HandoffRecordActivities, OpenInboxTask, TransferRecord } from '@handoffs/contracts';
import { InboxTask } from './inbox-task.entity';
import { TransferLogEntry } from './transfer-log-entry.entity';

/** Writes a transfer-log row once: a repeated activity attempt finds the unique key taken and writes nothing. */
export async function logTransfer(manager: EntityManager, entry: TransferRecord): Promise<void> {
  await manager
    .createQueryBuilder()
    .insert()
    .into(TransferLogEntry)
    .values({ ...entry, occurredAt: new Date(entry.occurredAt) })
    .orIgnore()
    .execute();
}

/** The activities every domain's worker hosts on its own task queue, against its own database. */
export function createHandoffRecordActivities(dataSource: DataSource): HandoffRecordActivities {
  return {
    async openInboxTask(task: OpenInboxTask): Promise<{ taskId: string }> {
      return dataSource.transaction(async (manager) => {
        if (task.receivedTransfer) {
          await logTransfer(manager, task.receivedTransfer);
        }
        await manager
          .createQueryBuilder()
          .insert()
          .into(InboxTask)
          .values({
            id: task.taskId,
            workflowId: task.workflowId,
            caseRef: task.caseRef,
            process: task.process,
            kind: task.kind,
            state: 'open',
            dueAt: new Date(task.dueAt),
            details: task.details,
          })
          .orIgnore()
          .execute();
        const opened = await manager.findOneByOrFail(InboxTask, { workflowId: task.workflowId, kind: task.kind });
        return { taskId: opened.id };
      });
    },

    async closeInboxTask(close: CloseInboxTask): Promise<void> {
      await dataSource
        .createQueryBuilder()
        .update(InboxTask)
        .set({
          state: close.state,
          completedBy: close.completedBy ?? null,
          resolution: close.resolution ?? null,
          closedAt: new Date(close.closedAt),
        })
        .where('workflow_id = :workflowId AND kind = :kind AND state = :open', {
          workflowId: close.workflowId,
          kind: close.kind,
          open: 'open',
        })
        .execute();
    },

    async recordTransfer(entry: TransferRecord): Promise<void> {
      await logTransfer(dataSource.manager, entry);
    },
  };
}
