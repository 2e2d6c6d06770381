import type { DataSource } from 'typeorm';
import type { AgencyConsentGatewayActivities, AgencyConsentReceipt, AgencyConsentSubmission } from '@handoffs/contracts';
import { logTransfer } from '@handoffs/handoff-records';
import { agencySendFailure, type AgencyLink } from '../agency-link/agency-link';
import { AgencyConsentRequestRecord } from './agency-consent.entities';

export function createAgencyConsentActivities(dataSource: DataSource, agency: AgencyLink): AgencyConsentGatewayActivities {
  return {
    /**
     * Records the consent request (once per ID) with the receipt of its data, then sends it to the
     * agency. Sending again is safe: the agency treats it as the same request.
     */
    async requestAgencyConsent(submission: AgencyConsentSubmission): Promise<AgencyConsentReceipt> {
      const { request } = submission;
      const key = { consentRequestId: request.consentRequestId };
      await dataSource.transaction(async (manager) => {
        await logTransfer(manager, submission.receivedTransfer);
        await manager
          .createQueryBuilder()
          .insert()
          .into(AgencyConsentRequestRecord)
          .values({ ...key, caseRef: request.caseRef, workflowId: submission.workflowId })
          .orIgnore()
          .execute();
      });
      let receipt: AgencyConsentReceipt;
      try {
        receipt = await agency.requestConsent(request);
      } catch (error) {
        throw agencySendFailure(`consent request ${key.consentRequestId}`, error);
      }
      await dataSource
        .createQueryBuilder()
        .update(AgencyConsentRequestRecord)
        .set({ acknowledgedAt: () => 'COALESCE(acknowledged_at, now())', sendCount: () => 'send_count + 1' })
        .where('consent_request_id = :consentRequestId', key)
        .execute();
      return receipt;
    },
  };
}
