export * from './handoff-record.activities';
export * from './handoff-records.module';
export * from './inbox-task.entity';
export * from './handoffs';
export * from './handoff-routes';
export * from './inbox-task.view';
export * from './inbox.controller';
export * from './refusals';
export * from './migration';
export * from './transfer-log-entry.entity';
export * from './transfer-log.controller';

import { InboxTask } from './inbox-task.entity';
import { TransferLogEntry } from './transfer-log-entry.entity';
export const HANDOFF_RECORD_ENTITIES = [InboxTask, TransferLogEntry];
