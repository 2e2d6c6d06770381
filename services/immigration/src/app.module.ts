import { Module, type DynamicModule } from '@nestjs/common';
import { HandoffRecords1764000000000 } from '@handoffs/handoff-records';
import { domainServiceModule, type ServiceConfig } from '@handoffs/service-kit';
import { StatusInquiryController } from './status-inquiry/status-inquiry.controller';

/** The immigration office (Ausländerbehörde) owns status clarification and hosts its workflow. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return domainServiceModule(AppModule, config, {
      hostsWorkflows: true,
      migrations: [HandoffRecords1764000000000],
      controllers: [StatusInquiryController],
    });
  }
}
