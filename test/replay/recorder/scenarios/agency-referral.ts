import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { AgencyDecision, AgencyReferralInput } from '@handoffs/contracts';
import { BA_CUSTOMER_NUMBER, SUBJECT, eventually } from '@handoffs/testing';
import { agencyAnswerReceived, agencyReferral, supplyAgencyInformation } from '@handoffs/workflows';
import type { FakeDomains } from '../fake-domains';
import { escalatedTo, extendSuspendResume, stagePublished, taskOf, type Scenario } from '../scenario';

const JC = { domain: 'job-centre', caseworkerId: 'jc.mueller' } as const;

type Timing = Partial<Pick<AgencyReferralInput, 'decisionWithin' | 'informationWithin' | 'resubmitEvery' | 'steps'>>;

function start(client: Client, caseRef: string, timing: Timing = {}) {
  const input: AgencyReferralInput = {
    caseRef,
    referralId: randomUUID(),
    requestedBy: JC,
    requestedAt: new Date().toISOString(),
    programme: 'competence-assessment',
    subject: { baCustomerNumber: BA_CUSTOMER_NUMBER, familyName: SUBJECT.familyName, givenNames: SUBJECT.givenNames, dateOfBirth: SUBJECT.dateOfBirth },
    decisionWithin: '1 hour',
    informationWithin: '1 hour',
    resubmitEvery: '1 hour',
    ...timing,
  };
  return client.workflow.start(agencyReferral, {
    workflowId: `agency-referral:${caseRef}`,
    taskQueue: 'job-centre',
    args: [input],
    staticSummary: `Agency referral ${caseRef}: the job centre refers the case to an employment agency programme`,
  });
}

/** The round is at the agency and the job centre has recorded it as sent. */
async function sent(domains: FakeDomains, handle: WorkflowHandle, round: number) {
  await eventually(async () => (domains.referralsSent.some((s) => s.workflowId === handle.workflowId && s.round === round) ? true : undefined));
  await stagePublished(handle, 'SENT');
}

async function answer(domains: FakeDomains, handle: WorkflowHandle, round: number, decision: AgencyDecision) {
  const submission = await eventually(async () => domains.submissions.find((s) => s.workflowId === handle.workflowId));
  await handle.signal(agencyAnswerReceived, { referralId: submission.referral.referralId, round, decision, decidedAt: new Date().toISOString() });
}

/** Round 1 is answered NEEDS_INFO: the job centre has an information task. */
async function askedForInformation(client: Client, domains: FakeDomains, caseRef: string, timing: Timing = {}) {
  const handle = await start(client, caseRef, timing);
  await sent(domains, handle, 1);
  await answer(domains, handle, 1, { outcome: 'NEEDS_INFO', missing: ['languageLevel'] });
  const task = await taskOf(domains, handle, 'agency-information-request');
  await stagePublished(handle, 'NEEDS_INFO');
  return { handle, taskId: task.taskId };
}

/** The job centre supplies the information; round 2 goes to the agency, which decides; the handoff closes. */
async function suppliedAndDecided(domains: FakeDomains, handle: WorkflowHandle, taskId: string, decision: AgencyDecision) {
  await handle.executeUpdate(supplyAgencyInformation, { args: [{ taskId, suppliedBy: JC, information: { languageLevel: 'B1' } }] });
  await sent(domains, handle, 2);
  await answer(domains, handle, 2, decision);
  await handle.result();
  return handle;
}

export const AGENCY_REFERRAL_SCENARIOS: Scenario[] = [
  {
    process: 'agency-referral',
    branch: 'accepted',
    covers: "the job centre's precheck, the referral through the gateway, the agency accepts (Signal)",
    caseRef: 'JC-2026-RAR01',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await sent(domains, handle, 1);
      await answer(domains, handle, 1, { outcome: 'ACCEPTED' });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'agency-referral',
    branch: 'refused',
    covers: 'stray answers (another round, an invalid one) are ignored; the agency refuses with its reason',
    caseRef: 'JC-2026-RAR02',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await sent(domains, handle, 1);
      await answer(domains, handle, 2, { outcome: 'ACCEPTED' });
      await answer(domains, handle, 1, { outcome: 'REFUSED' });
      await answer(domains, handle, 1, { outcome: 'REFUSED', refusalReason: 'language-level-below-entry' });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'agency-referral',
    branch: 'needs-info-round-then-accepted',
    covers: 'the agency asks for information; the job centre supplies it (Update); round 2 goes out and is accepted',
    caseRef: 'JC-2026-RAR03',
    async run({ client, domains }) {
      const { handle, taskId } = await askedForInformation(client, domains, this.caseRef);
      return suppliedAndDecided(domains, handle, taskId, { outcome: 'ACCEPTED' });
    },
  },
  {
    process: 'agency-referral',
    branch: 'external-silent-escalated-resent',
    covers: 'the agency does not decide in time (2 seconds here): stuck external-silent, escalated, the referral sent again; then accepted',
    caseRef: 'JC-2026-RAR04',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef, { decisionWithin: '2 seconds', resubmitEvery: '1 second' });
      await escalatedTo(handle, 1);
      await eventually(async () => (domains.submissions.filter((s) => s.workflowId === handle.workflowId).length >= 2 ? true : undefined));
      await answer(domains, handle, 1, { outcome: 'ACCEPTED' });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'agency-referral',
    branch: 'agency-unreachable-then-accepted',
    covers: "the agency's system cannot be reached at first (stuck external-silent after 2 attempts here); the referral gets through and is accepted",
    caseRef: 'JC-2026-RAR05',
    fakes: { agencyUnreachableFor: 3 },
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef, { steps: { pickupWithin: '5 minutes', failingAfterAttempts: 2 } });
      await sent(domains, handle, 1);
      await answer(domains, handle, 1, { outcome: 'ACCEPTED' });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'agency-referral',
    branch: 'information-deadline-escalated',
    covers: 'the job centre misses its information deadline (2 seconds here): stuck, escalation task; then it supplies, round 2 accepted',
    caseRef: 'JC-2026-RAR06',
    async run({ client, domains }) {
      const { handle, taskId } = await askedForInformation(client, domains, this.caseRef, { informationWithin: '2 seconds' });
      await escalatedTo(handle, 1);
      return suppliedAndDecided(domains, handle, taskId, { outcome: 'ACCEPTED' });
    },
  },
  {
    process: 'agency-referral',
    branch: 'information-deadline-changed',
    covers: 'the job centre extends, suspends and resumes its information deadline with reasons, supplies; round 2 refused',
    caseRef: 'JC-2026-RAR07',
    async run({ client, domains }) {
      const { handle, taskId } = await askedForInformation(client, domains, this.caseRef);
      await extendSuspendResume(handle, JC, { extend: 'Language test next week', suspend: 'Client in hospital', resume: 'Client back' });
      return suppliedAndDecided(domains, handle, taskId, { outcome: 'REFUSED', refusalReason: 'no-programme-capacity' });
    },
  },
  {
    process: 'agency-referral',
    branch: 'running-waiting-for-agency',
    covers: 'running: round 1 is at the agency, waiting for its decision (and the resend timer)',
    caseRef: 'JC-2026-RAR08',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await sent(domains, handle, 1);
      return handle;
    },
  },
  {
    process: 'agency-referral',
    branch: 'running-waiting-for-information',
    covers: "running: the agency asked for information; the job centre's task is open",
    caseRef: 'JC-2026-RAR09',
    async run({ client, domains }) {
      const { handle } = await askedForInformation(client, domains, this.caseRef);
      return handle;
    },
  },
];
