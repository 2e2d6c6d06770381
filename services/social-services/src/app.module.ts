import { Module, type DynamicModule } from '@nestjs/common';
import { domainServiceModule, type ServiceConfig } from '@handoffs/service-kit';
import { HandoffRecords1764000000000 } from './migrations/1764000000000-handoff-records';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return domainServiceModule(AppModule, config, {
      hostsWorkflows: false,
      migrations: [HandoffRecords1764000000000],
    });
  }
}
