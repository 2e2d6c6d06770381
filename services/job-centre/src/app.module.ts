import { Module, type DynamicModule } from '@nestjs/common';
import { HandoffRecords1764000000000 } from '@handoffs/handoff-records';
import { domainServiceModule, type ServiceConfig } from '@handoffs/service-kit';
import { createLegalDomainTransferActivities } from './legal-domain-transfer/legal-domain-transfer.activities';
import { LegalDomainTransferController } from './legal-domain-transfer/legal-domain-transfer.controller';
import { ReimbursementClaim, Sgb2Application } from './legal-domain-transfer/sgb2-application.entity';
import { LegalDomainTransfer1764200000002 } from './migrations/1764200000002-legal-domain-transfer';
import { StatusClarification1764000000001 } from './migrations/1764000000001-status-clarification';
import { StatusClarificationWithdrawal1764050000001 } from './migrations/1764050000001-status-clarification-withdrawal';
import { createStatusClarificationActivities } from './status-clarification/status-clarification.activities';
import { StatusClarificationController } from './status-clarification/status-clarification.controller';
import { StatusClarificationRecord } from './status-clarification/status-clarification.entity';
import { AgencyReferralController } from './agency-referral/agency-referral.controller';
import { createAgencyReferralActivities } from './agency-referral/agency-referral.activities';
import { AgencyReferralRecord } from './agency-referral/agency-referral.entity';
import { AgencyReferral1764300000002 } from './migrations/1764300000002-agency-referral';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return domainServiceModule(AppModule, config, {
      entities: [StatusClarificationRecord, Sgb2Application, ReimbursementClaim, AgencyReferralRecord],
      migrations: [HandoffRecords1764000000000, StatusClarification1764000000001, StatusClarificationWithdrawal1764050000001, LegalDomainTransfer1764200000002, AgencyReferral1764300000002],
      activities: (ds) => ({ ...createStatusClarificationActivities(ds), ...createLegalDomainTransferActivities(ds), ...createAgencyReferralActivities(ds) }),
      controllers: [StatusClarificationController, LegalDomainTransferController, AgencyReferralController],
    });
  }
}
