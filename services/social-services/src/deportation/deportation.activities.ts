import type { DataSource } from 'typeorm';
import type {
  BenefitEnd,
  ParticipationRecord,
  ScheduleShare,
  SocialServicesDeportationActivities,
  Unwinding,
} from '@handoffs/contracts';
import { logTransfer } from '@handoffs/handoff-records';
import { DeportationBenefit, DeportationParticipation } from './deportation.entities';

/**
 * Social services' steps in a deportation, against its own tables. Each is idempotent: a repeated
 * attempt finds the row in the state it would write and changes nothing.
 */
export function createDeportationActivities(dataSource: DataSource): SocialServicesDeportationActivities {
  return {
    async recordParticipation(record: ParticipationRecord): Promise<void> {
      await dataSource
        .createQueryBuilder()
        .insert()
        .into(DeportationParticipation)
        .values({
          caseRef: record.caseRef,
          workflowId: record.workflowId,
          state: 'participated',
          socialWorker: record.socialWorker,
          finding: record.finding,
          concernReason: record.concernReason,
          recordedAt: new Date(record.recordedAt),
        })
        .orUpdate(['state', 'social_worker', 'finding', 'concern_reason', 'recorded_at'], ['case_ref'])
        .execute();
    },

    async shareSchedule(share: ScheduleShare): Promise<void> {
      await dataSource.transaction(async (manager) => {
        await logTransfer(manager, share.receivedTransfer);
        await manager
          .createQueryBuilder()
          .update(DeportationParticipation)
          .set({ plannedAt: new Date(share.plannedAt), dateVisibleFrom: new Date(share.visibleFrom), dateVisibleUntil: new Date(share.visibleUntil) })
          .where('case_ref = :caseRef AND state = :participated', { caseRef: share.caseRef, participated: 'participated' })
          .execute();
      });
    },

    async releaseAssignment(release: Unwinding): Promise<void> {
      await dataSource
        .createQueryBuilder()
        .update(DeportationParticipation)
        .set({
          state: 'released',
          socialWorker: null,
          plannedAt: null,
          dateVisibleFrom: null,
          dateVisibleUntil: null,
          releasedAt: new Date(release.at),
          releaseReason: release.reason,
        })
        .where('case_ref = :caseRef AND state = :participated', { caseRef: release.caseRef, participated: 'participated' })
        .execute();
    },

    async planBenefitEnd(end: BenefitEnd): Promise<void> {
      await dataSource.transaction(async (manager) => {
        if (end.receivedTransfer) await logTransfer(manager, end.receivedTransfer);
        await manager
          .createQueryBuilder()
          .insert()
          .into(DeportationBenefit)
          .values({ caseRef: end.caseRef, workflowId: end.workflowId, state: 'ending', endsOn: end.endsOn, updatedAt: new Date() })
          .orIgnore()
          .execute();
        await manager
          .createQueryBuilder()
          .update(DeportationBenefit)
          .set({ endsOn: end.endsOn, updatedAt: new Date() })
          .where('case_ref = :caseRef AND state = :ending', { caseRef: end.caseRef, ending: 'ending' })
          .execute();
      });
    },

    async endBenefitsOnDeparture(end: BenefitEnd): Promise<void> {
      await dataSource.transaction(async (manager) => {
        if (end.receivedTransfer) await logTransfer(manager, end.receivedTransfer);
        await manager
          .createQueryBuilder()
          .insert()
          .into(DeportationBenefit)
          .values({ caseRef: end.caseRef, workflowId: end.workflowId, state: 'ended', endsOn: end.endsOn, updatedAt: new Date() })
          .orUpdate(['state', 'ends_on', 'updated_at'], ['case_ref'])
          .execute();
      });
    },

    async restoreBenefits(restore: Unwinding): Promise<void> {
      await dataSource
        .createQueryBuilder()
        .update(DeportationBenefit)
        .set({ state: 'restored', endsOn: null, restoredAt: new Date(restore.at), restoreReason: restore.reason, updatedAt: new Date() })
        .where('case_ref = :caseRef AND state = :ending', { caseRef: restore.caseRef, ending: 'ending' })
        .execute();
    },
  };
}
