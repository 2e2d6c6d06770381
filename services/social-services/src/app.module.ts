import { Module, type DynamicModule } from '@nestjs/common';
import { HandoffRecords1764000000000 } from '@handoffs/handoff-records';
import { domainServiceModule, type ServiceConfig } from '@handoffs/service-kit';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return domainServiceModule(AppModule, config, {
      hostsWorkflows: false,
      migrations: [HandoffRecords1764000000000],
    });
  }
}
