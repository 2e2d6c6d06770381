import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  LegalDomainTransferInput,
  LegalDomainTransferResult,
  EffectiveDateConfirmed,
  EffectiveDateDecision,
  LegalDomainTransferState,
  Sgb2Decided,
  Sgb2Decision,
} from '@handoffs/contracts';
import { defineWorkflowType } from './workflow-type';

/** The process as services start it (social services starts it, the job centre hosts it). */
export const legalDomainTransferWorkflow = defineWorkflowType<(input: LegalDomainTransferInput) => Promise<LegalDomainTransferResult>>('legalDomainTransfer');

/** Social services' caseworker confirms when the AsylbLG entitlement lapses. Refused at once by its validator if invalid. */
export const confirmEffectiveDate = defineUpdate<EffectiveDateConfirmed, [EffectiveDateDecision]>('confirmEffectiveDate');

/** The job centre's caseworker decides the SGB II application (award or no need). Refused at once if invalid. */
export const decideSgb2Application = defineUpdate<Sgb2Decided, [Sgb2Decision]>('decideSgb2Application');

export const legalDomainTransferState = defineQuery<LegalDomainTransferState>('legalDomainTransferState');
