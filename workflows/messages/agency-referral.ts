import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AgencyReferralInput,
  AgencyReferralResult,
  AgencyAnswer,
  AgencyInformationSupplied,
  AgencyInformationSupply,
  AgencyReferralState,
} from '@handoffs/contracts';
import { defineWorkflowType } from './workflow-type';

/** The process as services start it (the job centre starts and hosts it). */
export const agencyReferralWorkflow = defineWorkflowType<(input: AgencyReferralInput) => Promise<AgencyReferralResult>>('agencyReferral');

/** The agency's answer, relayed by the gateway when it arrives over the transport (an outside event: a Signal). */
export const agencyAnswerReceived = defineSignal<[AgencyAnswer]>('agencyAnswerReceived');

/** A job-centre caseworker supplies what the agency asked for. Rejected at once by its validator if invalid. */
export const supplyAgencyInformation = defineUpdate<AgencyInformationSupplied, [AgencyInformationSupply]>(
  'supplyAgencyInformation',
);

export const agencyReferralState = defineQuery<AgencyReferralState>('agencyReferralState');
