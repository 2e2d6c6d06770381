import type { DataSource } from 'typeorm';
import type { JobCentreStatusActivities, StatusAnswerDelivery } from '@handoffs/contracts';
import { logTransfer } from '@handoffs/handoff-records';
import { StatusClarificationRecord } from './status-clarification.entity';

export function createStatusClarificationActivities(dataSource: DataSource): JobCentreStatusActivities {
  return {
    /** Records the answer and its receipt in one transaction; a repeated attempt changes nothing. */
    async deliverStatusAnswer(delivery: StatusAnswerDelivery): Promise<void> {
      await dataSource.transaction(async (manager) => {
        await logTransfer(manager, delivery.receivedTransfer);
        await manager
          .createQueryBuilder()
          .update(StatusClarificationRecord)
          .set({
            state: 'answered',
            outcome: delivery.outcome,
            answer: delivery.answer,
            answeredBy: delivery.answeredBy,
            answeredAt: new Date(delivery.answeredAt),
            validUntil: delivery.answer.validUntil,
          })
          .where('case_ref = :caseRef AND state = :requested', { caseRef: delivery.caseRef, requested: 'requested' })
          .execute();
      });
    },
  };
}
