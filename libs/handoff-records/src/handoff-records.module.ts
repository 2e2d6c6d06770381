import { Module } from '@nestjs/common';
import { InboxController } from './inbox.controller';
import { TransferLogController } from './transfer-log.controller';

/** The inbox and transfer-log HTTP endpoints every domain service offers. */
@Module({ controllers: [InboxController, TransferLogController] })
export class HandoffRecordsModule {}
