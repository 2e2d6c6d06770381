import { Module, type DynamicModule } from '@nestjs/common';
import { HandoffRecords1764000000000 } from '@handoffs/handoff-records';
import { domainServiceModule, type ServiceConfig } from '@handoffs/service-kit';
import { AgencyAnswerController } from './agency-referral/agency-answer.controller';
import { AgencyLink } from './agency-referral/agency-link';
import { createAgencyGatewayActivities } from './agency-referral/agency-referral.activities';
import { AgencyDecisionRecord, AgencySubmission } from './agency-referral/agency-referral.entities';
import { agencyTransportSettings, type AgencyTransportSettings } from './agency-referral/agency-transport';
import { ReferralStatisticsController } from './agency-referral/referral-statistics.controller';
import { AgencyReferral1764300000001 } from './migrations/1764300000001-agency-referral';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, transport: AgencyTransportSettings = agencyTransportSettings()): DynamicModule {
    const agencyLink = new AgencyLink(transport);
    return domainServiceModule(AppModule, config, {
      hostsWorkflows: false,
      entities: [AgencySubmission, AgencyDecisionRecord],
      migrations: [HandoffRecords1764000000000, AgencyReferral1764300000001],
      activities: (dataSource) => createAgencyGatewayActivities(dataSource, agencyLink),
      controllers: [AgencyAnswerController, ReferralStatisticsController],
      providers: [{ provide: AgencyLink, useValue: agencyLink }],
    });
  }
}
