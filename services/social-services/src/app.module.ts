import { Module, type DynamicModule } from '@nestjs/common';
import { HandoffRecords1764000000000 } from '@handoffs/handoff-records';
import { domainServiceModule, type ServiceConfig } from '@handoffs/service-kit';
import { AsylbLGBenefit } from './legal-domain-transfer/asylblg-benefit.entity';
import { createDeportationActivities } from './deportation/deportation.activities';
import { DeportationParticipationController } from './deportation/deportation.controller';
import { DeportationBenefit, DeportationParticipation } from './deportation/deportation.entities';
import { Deportation1764100000001 } from './migrations/1764100000001-deportation';
import { createLegalDomainTransferActivities } from './legal-domain-transfer/legal-domain-transfer.activities';
import { LegalDomainTransferController } from './legal-domain-transfer/legal-domain-transfer.controller';
import { LegalDomainTransfer1764200000001 } from './migrations/1764200000001-legal-domain-transfer';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return domainServiceModule(AppModule, config, {
      entities: [AsylbLGBenefit, DeportationParticipation, DeportationBenefit],
      migrations: [HandoffRecords1764000000000, Deportation1764100000001, LegalDomainTransfer1764200000001],
      activities: (dataSource) => ({ ...createLegalDomainTransferActivities(dataSource), ...createDeportationActivities(dataSource) }),
      controllers: [LegalDomainTransferController, DeportationParticipationController],
    });
  }
}
