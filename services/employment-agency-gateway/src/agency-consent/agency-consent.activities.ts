import type { DataSource } from 'typeorm';
import type { AgencyConsentGatewayActivities, AgencyConsentReceipt, AgencyConsentSubmission } from '@handoffs/contracts';
import type { AgencyLink } from '../agency-link/agency-link';
import { recordAndSend } from '../agency-link/agency-requests';
import { CONSENT_REQUESTS } from './agency-consent.entities';

export function createAgencyConsentActivities(dataSource: DataSource, agency: AgencyLink): AgencyConsentGatewayActivities {
  return {
    /** Records the consent request (once per ID) and sends it to the agency. */
    async requestAgencyConsent(submission: AgencyConsentSubmission): Promise<AgencyConsentReceipt> {
      return recordAndSend(dataSource, CONSENT_REQUESTS, { ...submission, send: () => agency.requestConsent(submission.request) });
    },
  };
}
