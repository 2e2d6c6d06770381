import type { DataSource } from 'typeorm';
import {
  daysInclusive,
  LEGAL_DOMAIN_TRANSFER_FLOWS,
  type JobCentreTransferActivities,
  type Sgb2Advance,
  type Sgb2ApplicationReceipt,
  type Sgb2DecisionRecord,
  type Sgb2ReimbursementReceipt,
} from '@handoffs/contracts';
import { logTransfer } from '@handoffs/handoff-records';
import { ReimbursementClaim, Sgb2Application } from './sgb2-application.entity';

/** The job centre's steps of the legal-domain transfer, against its own SGB II records. Each is idempotent. */
export function createLegalDomainTransferActivities(dataSource: DataSource): JobCentreTransferActivities {
  return {
    async receiveSgb2Application(receipt: Sgb2ApplicationReceipt): Promise<void> {
      await dataSource.transaction(async (manager) => {
        await logTransfer(manager, receipt.receivedTransfer);
        await manager
          .createQueryBuilder()
          .insert()
          .into(Sgb2Application)
          .values({
            caseRef: receipt.caseRef,
            workflowId: receipt.workflowId,
            asylblgEnd: receipt.asylblgEnd,
            startsOn: receipt.sgb2Start,
            filedOn: receipt.filedOn,
            handedOverBy: receipt.handedOverBy,
            state: 'received',
          })
          .orIgnore()
          .execute();
      });
    },

    async paySgb2Advance(advance: Sgb2Advance): Promise<void> {
      await dataSource
        .createQueryBuilder()
        .update(Sgb2Application)
        .set({
          state: 'advance-paid',
          outcome: 'PENDING_DECISION',
          advance: { from: advance.from, grantedAt: advance.grantedAt, ruleSetVersion: advance.ruleSetVersion, legalBasis: '§ 42 SGB I' },
        })
        .where('workflow_id = :workflowId AND advance IS NULL AND state = :received', { workflowId: advance.workflowId, received: 'received' })
        .execute();
    },

    async recordSgb2Decision(decision: Sgb2DecisionRecord): Promise<void> {
      const award = decision.decision.kind === 'award' ? decision.decision : null;
      await dataSource
        .createQueryBuilder()
        .update(Sgb2Application)
        .set({
          state: 'decided',
          outcome: decision.outcome,
          decision: decision.decision,
          awardFrom: award?.from ?? null,
          awardUntil: award?.until ?? null,
          decidedBy: decision.decidedBy,
          decidedAt: new Date(decision.decidedAt),
          ruleSetVersion: decision.ruleSetVersion,
        })
        .where('workflow_id = :workflowId AND decision IS NULL', { workflowId: decision.workflowId })
        .execute();
    },

    async receiveReimbursementClaim(claim: Sgb2ReimbursementReceipt): Promise<void> {
      await dataSource.transaction(async (manager) => {
        await logTransfer(manager, claim.receivedTransfer);
        await manager
          .createQueryBuilder()
          .insert()
          .into(ReimbursementClaim)
          .values({
            workflowId: claim.workflowId,
            caseRef: claim.caseRef,
            claimant: 'social-services',
            daysFrom: claim.days.from,
            daysTo: claim.days.to,
            dayCount: daysInclusive(claim.days.from, claim.days.to),
            assertBy: claim.assertBy,
            legalBasis: LEGAL_DOMAIN_TRANSFER_FLOWS.reimbursementClaim.legalBasis,
            receivedAt: new Date(claim.receivedTransfer.occurredAt),
          })
          .orIgnore()
          .execute();
      });
    },
  };
}
