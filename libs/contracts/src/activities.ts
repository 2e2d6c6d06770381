import type { Domain } from './domains';
import type { Actor, InboxTaskState } from './handoff';
import type { Process } from './case-ref';
import type { TransferDirection } from './transfers';
import type { InquirySubject, StatusAnswer, StatusClarificationOutcome, StatusQuestion } from './status-clarification';

/**
 * Activity contracts. Workflows import these types only; each domain's worker implements them
 * against its own database. Every activity is idempotent: a repeated attempt writes nothing twice.
 */
export interface TransferRecord {
  workflowId: string;
  caseRef: string;
  process: Process;
  flowId: string;
  direction: TransferDirection;
  counterpart: Domain;
  legalBasis: string;
  purpose: string;
  fieldNames: string[];
  occurredAt: string;
}

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

export interface StatusAnswerDelivery {
  workflowId: string;
  caseRef: string;
  outcome: StatusClarificationOutcome;
  answer: StatusAnswer;
  answeredBy: Actor;
  answeredAt: string;
  receivedTransfer: TransferRecord;
}

export interface JobCentreStatusActivities {
  deliverStatusAnswer(delivery: StatusAnswerDelivery): Promise<void>;
}

/** The immigration office's own register of residence status (its database, its queue). */
export interface ImmigrationRegisterActivities {
  /**
   * The status on record for the subject if it is current (verified recently, valid for a while yet)
   * and answers the questions without a person's judgement; null when a caseworker must look.
   */
  findCurrentStatus(subject: InquirySubject, questions: StatusQuestion[]): Promise<StatusAnswer | null>;
}
