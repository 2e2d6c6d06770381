import { Module, type DynamicModule } from '@nestjs/common';
import { HandoffRecords1764000000000 } from '@handoffs/handoff-records';
import { domainServiceModule, type ServiceConfig } from '@handoffs/service-kit';
import { StatusClarification1764000000001 } from './migrations/1764000000001-status-clarification';
import { createStatusClarificationActivities } from './status-clarification/status-clarification.activities';
import { StatusClarificationController } from './status-clarification/status-clarification.controller';
import { StatusClarificationRecord } from './status-clarification/status-clarification.entity';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return domainServiceModule(AppModule, config, {
      hostsWorkflows: false,
      entities: [StatusClarificationRecord],
      migrations: [HandoffRecords1764000000000, StatusClarification1764000000001],
      activities: createStatusClarificationActivities,
      controllers: [StatusClarificationController],
    });
  }
}
