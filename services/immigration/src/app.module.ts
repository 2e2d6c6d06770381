import { Module, type DynamicModule } from '@nestjs/common';
import { HandoffRecords1764000000000 } from '@handoffs/handoff-records';
import { domainServiceModule, type ServiceConfig } from '@handoffs/service-kit';
import { DeportationCase } from './deportation/deportation-case.entity';
import { DeportationController } from './deportation/deportation.controller';
import { DeportationCase1764100000002 } from './migrations/1764100000002-deportation-case';
import { ResidenceRegister1764050000000 } from './migrations/1764050000000-residence-register';
import { createResidenceRegisterActivities } from './residence-register/residence-register.activities';
import { ResidenceRegisterController } from './residence-register/residence-register.controller';
import { ResidenceRecord } from './residence-register/residence-record.entity';
import { StatusInquiryController } from './status-inquiry/status-inquiry.controller';

/** The immigration office (Ausländerbehörde) owns status clarification and hosts its workflow. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return domainServiceModule(AppModule, config, {
      entities: [ResidenceRecord, DeportationCase],
      migrations: [HandoffRecords1764000000000, ResidenceRegister1764050000000, DeportationCase1764100000002],
      activities: createResidenceRegisterActivities,
      controllers: [StatusInquiryController, ResidenceRegisterController, DeportationController],
    });
  }
}
