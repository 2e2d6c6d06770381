import type { DataSource } from 'typeorm';
import type { AgencyGatewayActivities, AgencyReceipt, ReferralSubmission } from '@handoffs/contracts';
import type { AgencyLink } from '../agency-link/agency-link';
import { recordAndSend } from '../agency-link/agency-requests';
import { REFERRALS } from './agency-referral.entities';

export function createAgencyGatewayActivities(dataSource: DataSource, agency: AgencyLink): AgencyGatewayActivities {
  return {
    /** Records the submission (once per referral ID and round) and sends it to the agency. */
    async submitReferral({ workflowId, referral, receivedTransfer }: ReferralSubmission): Promise<AgencyReceipt> {
      return recordAndSend(dataSource, REFERRALS, {
        workflowId,
        receivedTransfer,
        request: referral,
        columns: { programme: referral.programme },
        send: () => agency.submit(referral),
      });
    },
  };
}
