import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AgencyAnswer,
  AgencyInformationSupplied,
  AgencyInformationSupply,
  AgencyReferralState,
} from '@handoffs/contracts';

/** The agency's answer, relayed by the gateway when it arrives over the transport (an outside event: a Signal). */
export const agencyAnswerReceived = defineSignal<[AgencyAnswer]>('agencyAnswerReceived');

/** A job-centre caseworker supplies what the agency asked for. Rejected at once by its validator if invalid. */
export const supplyAgencyInformation = defineUpdate<AgencyInformationSupplied, [AgencyInformationSupply]>(
  'supplyAgencyInformation',
);

export const agencyReferralState = defineQuery<AgencyReferralState>('agencyReferralState');
