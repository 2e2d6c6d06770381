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

/**
 * The workflow type services start the process by, and its signature: social services starts it, the job centre hosts it.
 * The workflow itself is in workflows/legal-domain-transfer/workflow.ts; services import this, never the workflow code.
 */
export const legalDomainTransferWorkflow = 'legalDomainTransfer';
export type LegalDomainTransferWorkflow = (input: LegalDomainTransferInput) => Promise<LegalDomainTransferResult>;

/** Social services' caseworker confirms when the AsylbLG entitlement lapses. Refused at once by its validator if invalid. */
export const confirmEffectiveDate = defineUpdate<EffectiveDateConfirmed, [EffectiveDateDecision]>('confirmEffectiveDate');

/** The job centre's caseworker decides the SGB II application (award or no need). Refused at once if invalid. */
export const decideSgb2Application = defineUpdate<Sgb2Decided, [Sgb2Decision]>('decideSgb2Application');

export const legalDomainTransferState = defineQuery<LegalDomainTransferState>('legalDomainTransferState');
