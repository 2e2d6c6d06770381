import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AgencyReferralInput,
  AgencyReferralResult,
  AgencyAnswer,
  AgencyInformationSupplied,
  AgencyInformationSupply,
  AgencyReferralState,
} from '@handoffs/contracts';

/**
 * The workflow type services start the process by, and its signature: the job centre starts and hosts it.
 * The workflow itself is in workflows/agency-referral/workflow.ts; services import this, never the workflow code.
 */
export const agencyReferralWorkflow = 'agencyReferral';
export type AgencyReferralWorkflow = (input: AgencyReferralInput) => Promise<AgencyReferralResult>;

/** The agency's answer, relayed by the gateway when it arrives over the transport (an outside event: a Signal). */
export const agencyAnswerReceived = defineSignal<[AgencyAnswer]>('agencyAnswerReceived');

/** A job-centre caseworker supplies what the agency asked for. Rejected at once by its validator if invalid. */
export const supplyAgencyInformation = defineUpdate<AgencyInformationSupplied, [AgencyInformationSupply]>(
  'supplyAgencyInformation',
);

export const agencyReferralState = defineQuery<AgencyReferralState>('agencyReferralState');
