import { ApplicationFailure } from '@temporalio/common';
import {
  AGENCY_UNREACHABLE,
  type AgencyConsentGatewayActivities,
  type AgencyConsentSubmission,
  type AgencyGatewayActivities,
  type AsylbLGBenefitFacts,
  type Domain,
  type HandoffRecordActivities,
  type ImmigrationRegisterActivities,
  type JobCentreAgencyReferralActivities,
  type JobCentreStatusActivities,
  type JobCentreTransferActivities,
  type OpenInboxTask,
  type ReferralSubmission,
  type SocialServicesDeportationActivities,
  type SocialServicesTransferActivities,
  type StatusAnswer,
} from '@handoffs/contracts';

export interface FakeDomainOptions {
  /** What the immigration office's register holds for the person (status clarification's fast path). */
  onRecord?: StatusAnswer;
  /** The AsylbLG payments already made, up to this day (legal-domain transfer). */
  asylblgPaidThrough?: string;
  /** How many times the agency's system cannot be reached before it takes a referral. */
  agencyUnreachableFor?: number;
  /** How many times ending AsylbLG fails (a database error at social services) before it gets through. */
  endAsylblgFailsFor?: number;
}

export type OpenedTask = Pick<OpenInboxTask, 'taskId' | 'workflowId' | 'kind'> & { domain: Domain };

/**
 * Every domain's activities as recording fakes, for recording histories: the workflow code runs for
 * real on a real server, only the domains' databases and the agency are left out.
 */
export function fakeDomains(options: FakeDomainOptions = {}) {
  const tasks: OpenedTask[] = [];
  const consentRequests: AgencyConsentSubmission[] = [];
  const submissions: ReferralSubmission[] = [];
  /** Rounds of a referral the job centre has recorded as sent (the agency has it). */
  const referralsSent: { workflowId: string; round: number }[] = [];
  let unreachable = options.agencyUnreachableFor ?? 0;
  let endAsylblgFailures = options.endAsylblgFailsFor ?? 0;

  const nothing = async () => undefined;
  const records = (domain: Domain): HandoffRecordActivities => ({
    async openInboxTask(task) {
      tasks.push({ taskId: task.taskId, workflowId: task.workflowId, kind: task.kind, domain });
      return { taskId: task.taskId };
    },
    closeInboxTask: nothing,
    recordTransfer: nothing,
  });

  const register: ImmigrationRegisterActivities = {
    async findCurrentStatus() {
      return options.onRecord ?? null;
    },
  };
  const statusDelivery: JobCentreStatusActivities = { deliverStatusAnswer: nothing };
  const referralAtJobCentre: JobCentreAgencyReferralActivities = {
    async precheckAgencyReferral() {
      return { workPermission: 'CLEARED' };
    },
    async recordAgencyReferralSent(sent) {
      referralsSent.push({ workflowId: sent.workflowId, round: sent.round });
    },
    recordAgencyDecision: nothing,
  };
  const transferAtJobCentre: JobCentreTransferActivities = {
    receiveSgb2Application: nothing,
    paySgb2Advance: nothing,
    recordSgb2Decision: nothing,
    receiveReimbursementClaim: nothing,
  };

  const paidThrough = options.asylblgPaidThrough;
  const facts = (): AsylbLGBenefitFacts => ({
    since: '2025-03-01',
    payments: [{ from: '2025-03-01', to: '2025-03-31' }, ...(paidThrough ? [{ from: `${paidThrough.slice(0, 8)}01`, to: paidThrough }] : [])],
  });
  const transferAtSocialServices: SocialServicesTransferActivities = {
    async openEffectiveDateTask(task) {
      tasks.push({ taskId: task.taskId, workflowId: task.workflowId, kind: task.kind, domain: 'social-services' });
      return { taskId: task.taskId };
    },
    async endAsylblg() {
      if (endAsylblgFailures > 0) {
        endAsylblgFailures -= 1;
        throw new Error('the social-services database is not reachable');
      }
      return facts();
    },
    async settleAsylblgPayments() {
      return facts();
    },
    assertReimbursementClaim: nothing,
  };
  const deportationAtSocialServices: SocialServicesDeportationActivities = {
    recordParticipation: nothing,
    shareSchedule: nothing,
    releaseAssignment: nothing,
    planBenefitEnd: nothing,
    endBenefitsOnDeparture: nothing,
    restoreBenefits: nothing,
  };

  const consent: AgencyConsentGatewayActivities = {
    async requestAgencyConsent(submission) {
      consentRequests.push(submission);
      return { consentRequestId: submission.request.consentRequestId, receivedAt: new Date().toISOString() };
    },
  };
  const referral: AgencyGatewayActivities = {
    async submitReferral(submission) {
      if (unreachable > 0) {
        unreachable -= 1;
        throw ApplicationFailure.retryable("The agency's system cannot be reached", AGENCY_UNREACHABLE);
      }
      submissions.push(submission);
      return { referralId: submission.referral.referralId, round: submission.referral.round, receivedAt: new Date().toISOString() };
    },
  };

  const activities: Record<Domain, object> = {
    immigration: { ...records('immigration'), ...register },
    'job-centre': { ...records('job-centre'), ...statusDelivery, ...referralAtJobCentre, ...transferAtJobCentre },
    'social-services': { ...records('social-services'), ...transferAtSocialServices, ...deportationAtSocialServices },
    'employment-agency-gateway': { ...records('employment-agency-gateway'), ...consent, ...referral },
  };
  return { activities, tasks, consentRequests, submissions, referralsSent };
}

export type FakeDomains = ReturnType<typeof fakeDomains>;
