import type { DataSource } from 'typeorm';
import type { AgencyGatewayActivities, AgencyReceipt, ReferralSubmission } from '@handoffs/contracts';
import { logTransfer } from '@handoffs/handoff-records';
import { agencySendFailure, type AgencyLink } from '../agency-link/agency-link';
import { AgencySubmission } from './agency-referral.entities';

export function createAgencyGatewayActivities(dataSource: DataSource, agency: AgencyLink): AgencyGatewayActivities {
  return {
    /**
     * Records the submission (once per referral ID and round) with the receipt of its data, then
     * sends it to the agency. Sending again is safe: the agency treats it as the same referral.
     */
    async submitReferral(submission: ReferralSubmission): Promise<AgencyReceipt> {
      const { referral } = submission;
      const key = { referralId: referral.referralId, round: referral.round };
      await dataSource.transaction(async (manager) => {
        await logTransfer(manager, submission.receivedTransfer);
        await manager
          .createQueryBuilder()
          .insert()
          .into(AgencySubmission)
          .values({ ...key, caseRef: referral.caseRef, workflowId: submission.workflowId, programme: referral.programme })
          .orIgnore()
          .execute();
      });
      let receipt: AgencyReceipt;
      try {
        receipt = await agency.submit(referral);
      } catch (error) {
        throw agencySendFailure(`referral ${key.referralId} round ${key.round}`, error);
      }
      await dataSource
        .createQueryBuilder()
        .update(AgencySubmission)
        .set({ acknowledgedAt: () => 'COALESCE(acknowledged_at, now())', sendCount: () => 'send_count + 1' })
        .where('referral_id = :referralId AND round = :round', key)
        .execute();
      return receipt;
    },
  };
}
