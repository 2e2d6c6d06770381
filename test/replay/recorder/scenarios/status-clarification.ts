import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { AgencyConsentAnswer, StatusAnswer, StatusClarificationInput, StatusInquiry } from '@handoffs/contracts';
import { ANSWER_ALLOWED, SUBJECT, eventually } from '@handoffs/testing';
import {
  agencyConsentAnswered,
  answerStatusInquiry,
  statusClarification,
  withdrawStatusClarification,
} from '@handoffs/workflows';
import type { FakeDomains } from '../fake-domains';
import { escalatedTo, extendSuspendResume, inDays, pause, stagePublished, taskOf, type Scenario } from '../scenario';

const ABH = { domain: 'immigration', caseworkerId: 'abh.schmidt' } as const;
const JC = { domain: 'job-centre', caseworkerId: 'jc.mueller' } as const;
/** Valid for a week: the re-check (28 days before expiry) is due at once, so the workflow ends. */
const EXPIRING = (): StatusAnswer => ({ ...ANSWER_ALLOWED, validUntil: inDays(7) });
const JOB = { employer: 'Ruhr Logistik GmbH', occupation: 'Warehouse operative', hoursPerWeek: 39, grossMonthlyWage: 2850, startDate: '2026-01-15' };
const WITH_JOB: StatusInquiry = { subject: SUBJECT, questions: ['employment-permitted'], plannedEmployment: JOB };
const NEEDS_CONSENT = (): StatusAnswer => ({ ...EXPIRING(), legalBasis: '§ 19c Abs. 1 AufenthG', employmentPermission: 'NEEDS_PERMISSION', agencyConsent: 'required' });

function start(client: Client, caseRef: string, extra: Partial<StatusClarificationInput> = {}) {
  const input: StatusClarificationInput = {
    caseRef,
    requestedBy: JC,
    requestedAt: new Date().toISOString(),
    inquiry: { subject: SUBJECT, questions: ['employment-permitted', 'document-validity'] },
    answerWithin: '1 hour',
    recheckBefore: '28 days',
    ...extra,
  };
  return client.workflow.start(statusClarification, {
    workflowId: `status-clarification:${caseRef}`,
    taskQueue: 'immigration',
    args: [input],
    staticSummary: `Status clarification ${caseRef}: job centre asks the immigration office about work permission`,
  });
}

async function answer(domains: FakeDomains, handle: WorkflowHandle, answered: StatusAnswer) {
  const task = await taskOf(domains, handle, 'status-inquiry');
  await handle.executeUpdate(answerStatusInquiry, { args: [{ taskId: task.taskId, answeredBy: ABH, answer: answered }] });
}

/** Answered needing the agency's consent; resolves once the request is at the agency. */
async function waitingForConsent(client: Client, domains: FakeDomains, caseRef: string, agencyConsentWithin: Duration = '1 hour') {
  const handle = await start(client, caseRef, { inquiry: WITH_JOB, agencyConsentWithin });
  await answer(domains, handle, NEEDS_CONSENT());
  const request = await eventually(async () => domains.consentRequests.find((r) => r.workflowId === handle.workflowId));
  await stagePublished(handle, 'BA_CONSENT_PENDING');
  return { handle, consentRequestId: request.request.consentRequestId };
}

function agencyAnswer(consentRequestId: string, answer: Pick<AgencyConsentAnswer, 'outcome' | 'objectionReason'>): AgencyConsentAnswer {
  return { consentRequestId, decidedBy: 'ba.meier', decidedAt: new Date().toISOString(), ...answer };
}

export const STATUS_CLARIFICATION_SCENARIOS: Scenario[] = [
  {
    process: 'status-clarification',
    branch: 'register-fast-path',
    covers: 'a current register record clears the person: answered without a caseworker, delivered, re-check task, closed',
    caseRef: 'JC-2026-RSC01',
    fakes: { onRecord: EXPIRING() },
    async run({ client }) {
      const handle = await start(client, this.caseRef);
      await handle.result();
      return handle;
    },
  },
  {
    process: 'status-clarification',
    branch: 'caseworker-answer',
    covers: 'no record: an immigration caseworker answers the inquiry task (Update), delivered, re-check task, closed',
    caseRef: 'JC-2026-RSC02',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await answer(domains, handle, { ...EXPIRING(), employmentRestriction: 'only with employer Ruhr Logistik GmbH' });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'status-clarification',
    branch: 'agency-consent-given',
    covers: "the answer needs the agency's consent: request through the gateway, a stray answer ignored, consent (Signal), cleared",
    caseRef: 'JC-2026-RSC03',
    async run({ client, domains }) {
      const { handle, consentRequestId } = await waitingForConsent(client, domains, this.caseRef);
      await handle.signal(agencyConsentAnswered, agencyAnswer('another-request', { outcome: 'OBJECTION', objectionReason: 'priority-check-failed' }));
      await handle.signal(agencyConsentAnswered, agencyAnswer(consentRequestId, { outcome: 'CONSENT' }));
      await handle.result();
      return handle;
    },
  },
  {
    process: 'status-clarification',
    branch: 'agency-consent-objected',
    covers: "the agency objects (Signal) with its reason: blocked",
    caseRef: 'JC-2026-RSC04',
    async run({ client, domains }) {
      const { handle, consentRequestId } = await waitingForConsent(client, domains, this.caseRef);
      await handle.signal(agencyConsentAnswered, agencyAnswer(consentRequestId, { outcome: 'OBJECTION', objectionReason: 'wage-below-comparable-workers' }));
      await handle.result();
      return handle;
    },
  },
  {
    process: 'status-clarification',
    branch: 'agency-consent-deemed',
    covers: 'the agency does not object in time (2 seconds here): consent deemed given (§ 36 Abs. 2 BeschV), cleared',
    caseRef: 'JC-2026-RSC05',
    async run({ client, domains }) {
      const { handle } = await waitingForConsent(client, domains, this.caseRef, '2 seconds');
      await handle.result();
      return handle;
    },
  },
  {
    process: 'status-clarification',
    branch: 'withdrawn',
    covers: 'the job centre withdraws the unanswered inquiry (Update): the inquiry task is withdrawn, nothing delivered',
    caseRef: 'JC-2026-RSC06',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await taskOf(domains, handle, 'status-inquiry');
      await stagePublished(handle, 'ABH_ASKED');
      await handle.executeUpdate(withdrawStatusClarification, { args: [{ withdrawnBy: JC, reason: 'Placement cancelled by the employer' }] });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'status-clarification',
    branch: 'deadline-passed-escalated-to-the-top',
    covers: 'nobody answers (1-second steps here): stuck, escalation tasks for team lead and head of department, no level above; then answered',
    caseRef: 'JC-2026-RSC07',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef, { answerWithin: '1 second' });
      await escalatedTo(handle, 2);
      await pause(2500); // the head of department's step passes too: the ladder ends there
      await answer(domains, handle, EXPIRING());
      await handle.result();
      return handle;
    },
  },
  {
    process: 'status-clarification',
    branch: 'deadline-extended-suspended-resumed',
    covers: 'the immigration office extends, suspends and resumes its deadline (changeDeadline Updates), then answers',
    caseRef: 'JC-2026-RSC08',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await taskOf(domains, handle, 'status-inquiry');
      await stagePublished(handle, 'ABH_ASKED');
      const lead = { domain: 'immigration', caseworkerId: 'abh.lead' } as const;
      await extendSuspendResume(handle, lead, { extend: 'Waiting for the embassy', suspend: 'Court hearing pending', resume: 'Hearing done' });
      await answer(domains, handle, EXPIRING());
      await handle.result();
      return handle;
    },
  },
  {
    process: 'status-clarification',
    branch: 'status-change',
    covers: 'the answer is a status change (recognition): delivered, and social services gets a task to start the legal-domain transfer',
    caseRef: 'JC-2026-RSC09',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await answer(domains, handle, { ...EXPIRING(), statusChange: { kind: 'refugee-status', servedOn: inDays(-3) } });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'status-clarification',
    branch: 'running-waiting-for-answer',
    covers: 'running: the inquiry task is open, the immigration office has not answered yet',
    caseRef: 'JC-2026-RSC10',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await taskOf(domains, handle, 'status-inquiry');
      await stagePublished(handle, 'ABH_ASKED');
      return handle;
    },
  },
  {
    process: 'status-clarification',
    branch: 'running-waiting-for-agency-consent',
    covers: "running: answered, the request is with the agency, waiting for its consent or the deemed-consent date",
    caseRef: 'JC-2026-RSC11',
    async run({ client, domains }) {
      const { handle } = await waitingForConsent(client, domains, this.caseRef);
      return handle;
    },
  },
  {
    process: 'status-clarification',
    branch: 'running-recheck-scheduled',
    covers: 'running: answered with a status valid for two years; the timer for the re-check task is pending',
    caseRef: 'JC-2026-RSC12',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await answer(domains, handle, { ...ANSWER_ALLOWED, validUntil: inDays(730) });
      await stagePublished(handle, 'RECHECK_SCHEDULED');
      return handle;
    },
  },
];
