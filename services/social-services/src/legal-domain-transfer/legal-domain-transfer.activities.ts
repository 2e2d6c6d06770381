import type { DataSource } from 'typeorm';
import {
  daysInclusive,
  LEGAL_DOMAIN_TRANSFER_FLOWS,
  type AsylbLGBenefitFacts,
  type AsylbLGReimbursement,
  type AsylbLGTermination,
  type OpenOwnInboxTask,
  type SocialServicesTransferActivities,
} from '@handoffs/contracts';
import { InboxTask, logTransfer } from '@handoffs/handoff-records';
import { AsylbLGBenefit } from './asylblg-benefit.entity';

function factsOf(benefit: AsylbLGBenefit): AsylbLGBenefitFacts {
  return { since: benefit.since, payments: benefit.payments };
}

/** Social services' steps of the legal-domain transfer, against its own AsylbLG records. Each is idempotent. */
export function createLegalDomainTransferActivities(dataSource: DataSource): SocialServicesTransferActivities {
  const benefits = () => dataSource.getRepository(AsylbLGBenefit);
  return {
    async openEffectiveDateTask(task: OpenOwnInboxTask): Promise<{ taskId: string }> {
      await dataSource
        .createQueryBuilder()
        .insert()
        .into(InboxTask)
        .values({
          id: task.taskId,
          workflowId: task.workflowId,
          caseRef: task.caseRef,
          process: 'legal-domain-transfer',
          kind: task.kind,
          state: 'open',
          dueAt: new Date(task.dueAt),
          details: task.details,
        })
        .orIgnore()
        .execute();
      const opened = await dataSource.getRepository(InboxTask).findOneByOrFail({ workflowId: task.workflowId, kind: task.kind });
      return { taskId: opened.id };
    },

    /** Records the caseworker's termination decision once; a repeated attempt finds it recorded. */
    async endAsylblg(termination: AsylbLGTermination): Promise<AsylbLGBenefitFacts> {
      await benefits()
        .createQueryBuilder()
        .update()
        .set({
          state: 'ending',
          endsOn: termination.asylblgEnd,
          termination: {
            effectiveDate: termination.effectiveDate,
            decidedBy: termination.decidedBy,
            decidedAt: termination.decidedAt,
            ruleSetVersion: termination.ruleSetVersion,
          },
        })
        .where('workflow_id = :workflowId AND termination IS NULL', { workflowId: termination.workflowId })
        .execute();
      return factsOf(await benefits().findOneByOrFail({ workflowId: termination.workflowId }));
    },

    async settleAsylblgPayments(settle): Promise<AsylbLGBenefitFacts> {
      await benefits()
        .createQueryBuilder()
        .update()
        .set({ state: 'ended' })
        .where('workflow_id = :workflowId AND state = :ending', { workflowId: settle.workflowId, ending: 'ending' })
        .execute();
      return factsOf(await benefits().findOneByOrFail({ workflowId: settle.workflowId }));
    },

    async assertReimbursementClaim(claim: AsylbLGReimbursement): Promise<void> {
      await dataSource.transaction(async (manager) => {
        await logTransfer(manager, claim.sentTransfer);
        await manager
          .createQueryBuilder()
          .update(AsylbLGBenefit)
          .set({
            reimbursement: {
              days: claim.days,
              dayCount: daysInclusive(claim.days.from, claim.days.to),
              assertBy: claim.assertBy,
              against: 'job-centre',
              legalBasis: LEGAL_DOMAIN_TRANSFER_FLOWS.reimbursementClaim.legalBasis,
            },
          })
          .where('workflow_id = :workflowId AND reimbursement IS NULL', { workflowId: claim.workflowId })
          .execute();
      });
    },
  };
}
