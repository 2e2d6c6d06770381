import type { Process } from './case-ref';
import type { Actor, InboxTaskState } from './handoff';
import type { TransferRecord } from './transfers';

/**
 * The activities every domain's worker hosts on its own task queue, against its own database: its
 * inbox and its transfer log. Workflows import these types only. Every activity is idempotent: a
 * repeated attempt writes nothing twice.
 */
export interface OpenInboxTask {
  /** Chosen by the workflow, so that it knows the task before the caseworker can see it. */
  taskId: string;
  workflowId: string;
  caseRef: string;
  process: Process;
  kind: string;
  dueAt: string;
  /** What the caseworker needs to act on: the contract's payload, stored in the domain's own database. */
  details: object;
  /** The transfer that brought the details, logged in the same transaction; none for tasks without personal data. */
  receivedTransfer?: TransferRecord;
}

export interface CloseInboxTask {
  workflowId: string;
  kind: string;
  state: Exclude<InboxTaskState, 'open'>;
  completedBy?: Actor;
  resolution?: object;
  closedAt: string;
}

export interface HandoffRecordActivities {
  openInboxTask(task: OpenInboxTask): Promise<{ taskId: string }>;
  closeInboxTask(close: CloseInboxTask): Promise<void>;
  recordTransfer(entry: TransferRecord): Promise<void>;
}
