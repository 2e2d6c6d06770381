import { Module, type DynamicModule } from '@nestjs/common';
import { HandoffRecords1764000000000 } from '@handoffs/handoff-records';
import { domainServiceModule, type ServiceConfig } from '@handoffs/service-kit';
import { AgencyConsentAnswerController } from './agency-consent/agency-consent-answer.controller';
import { createAgencyConsentActivities } from './agency-consent/agency-consent.activities';
import { AgencyConsentAnswerRecord, AgencyConsentRequestRecord } from './agency-consent/agency-consent.entities';
import { AgencyAnswerController } from './agency-referral/agency-answer.controller';
import { AgencyLink } from './agency-link/agency-link';
import { createAgencyGatewayActivities } from './agency-referral/agency-referral.activities';
import { AgencyDecisionRecord, AgencySubmission } from './agency-referral/agency-referral.entities';
import { agencyTransportSettings, type AgencyTransportSettings } from './agency-referral/agency-transport';
import { ReferralStatisticsController } from './agency-referral/referral-statistics.controller';
import { AgencyReferral1764300000001 } from './migrations/1764300000001-agency-referral';
import { AgencyConsent1764400000001 } from './migrations/1764400000001-agency-consent';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, transport: AgencyTransportSettings = agencyTransportSettings()): DynamicModule {
    const agencyLink = new AgencyLink(transport);
    return domainServiceModule(AppModule, config, {
      entities: [AgencySubmission, AgencyDecisionRecord, AgencyConsentRequestRecord, AgencyConsentAnswerRecord],
      migrations: [HandoffRecords1764000000000, AgencyReferral1764300000001, AgencyConsent1764400000001],
      activities: (dataSource) => ({
        ...createAgencyGatewayActivities(dataSource, agencyLink),
        ...createAgencyConsentActivities(dataSource, agencyLink),
      }),
      controllers: [AgencyAnswerController, AgencyConsentAnswerController, ReferralStatisticsController],
      providers: [{ provide: AgencyLink, useValue: agencyLink }],
    });
  }
}
