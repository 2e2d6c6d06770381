import { Module } from '@nestjs/common';
import { Handoffs } from './handoffs';
import { InboxController } from './inbox.controller';
import { TransferLogController } from './transfer-log.controller';

/** The inbox and transfer-log HTTP endpoints every domain service offers, and the handoff toolkit its controllers use. */
@Module({ controllers: [InboxController, TransferLogController], providers: [Handoffs], exports: [Handoffs] })
export class HandoffRecordsModule {}
