import type { DataSource } from 'typeorm';
import {
  STATUS_CLARIFICATION_OUTCOMES,
  type AgencyDecisionDelivery,
  type AgencyReferralPrecheck,
  type AgencyReferralSent,
  type JobCentreAgencyReferralActivities,
  type WorkPermissionStatus,
} from '@handoffs/contracts';
import { logTransfer } from '@handoffs/handoff-records';
import { StatusClarificationRecord } from '../status-clarification/status-clarification.entity';
import { AgencyReferralRecord, type AgencyReferralRecordState } from './agency-referral.entity';

const STATE_AFTER: Record<string, AgencyReferralRecordState> = { ACCEPTED: 'accepted', REFUSED: 'refused', NEEDS_INFO: 'needs-info' };

/** The job centre's steps of P3b, against its own tables. Each is idempotent. */
export function createAgencyReferralActivities(dataSource: DataSource): JobCentreAgencyReferralActivities {
  return {
    async precheckAgencyReferral(precheck: AgencyReferralPrecheck): Promise<{ workPermission: WorkPermissionStatus }> {
      const clarification = await dataSource.getRepository(StatusClarificationRecord).findOneBy({ caseRef: precheck.caseRef });
      const outcome = clarification?.outcome as string | null | undefined;
      const workPermission: WorkPermissionStatus = (STATUS_CLARIFICATION_OUTCOMES as readonly string[]).includes(outcome ?? '')
        ? (outcome as WorkPermissionStatus)
        : 'NOT_CLARIFIED';
      await dataSource.getRepository(AgencyReferralRecord).update({ caseRef: precheck.caseRef }, { workPermission });
      return { workPermission };
    },

    async recordAgencyReferralSent(sent: AgencyReferralSent): Promise<void> {
      await dataSource
        .createQueryBuilder()
        .update(AgencyReferralRecord)
        .set({ state: 'sent', round: sent.round })
        .where('case_ref = :caseRef AND round < :round AND (decided_round IS NULL OR decided_round < :round)', sent)
        .execute();
    },

    async recordAgencyDecision(delivery: AgencyDecisionDelivery): Promise<void> {
      const { answer } = delivery;
      await dataSource.transaction(async (manager) => {
        await logTransfer(manager, delivery.receivedTransfer);
        await manager
          .createQueryBuilder()
          .update(AgencyReferralRecord)
          .set({
            state: STATE_AFTER[answer.decision.outcome],
            round: () => `GREATEST(round, ${Number(answer.round)})`,
            decidedRound: answer.round,
            outcome: answer.decision.outcome,
            refusalReason: answer.decision.refusalReason ?? null,
            missing: answer.decision.missing ?? null,
            decidedAt: new Date(answer.decidedAt),
            // The case stays with the job centre until the agency accepts.
            programmeCarrier: answer.decision.outcome === 'ACCEPTED' ? 'employment-agency' : 'job-centre',
          })
          .where('case_ref = :caseRef AND (decided_round IS NULL OR decided_round < :round)', { caseRef: delivery.caseRef, round: answer.round })
          .execute();
      });
    },
  };
}
