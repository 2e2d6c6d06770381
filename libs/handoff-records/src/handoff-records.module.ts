import { Module, type DynamicModule } from '@nestjs/common';
import { HANDOFF_POLICIES, Handoffs, type HandoffPolicies } from './handoffs';
import { InboxController } from './inbox.controller';
import { TransferLogController } from './transfer-log.controller';

/** The inbox and transfer-log HTTP endpoints every domain service offers, and the handoff toolkit its controllers use. */
@Module({})
export class HandoffRecordsModule {
  static forDomain(policies: HandoffPolicies): DynamicModule {
    return {
      module: HandoffRecordsModule,
      controllers: [InboxController, TransferLogController],
      providers: [Handoffs, { provide: HANDOFF_POLICIES, useValue: policies }],
      exports: [Handoffs],
    };
  }
}
