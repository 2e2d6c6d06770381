import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { addDays, dayOf, lastAwardDay, lastDayOfMonth, type Actor, type LegalDomainTransferInput, type Sgb2ApplicationDecision } from '@handoffs/contracts';
import { changeDeadline, confirmEffectiveDate, decideSgb2Application, legalDomainTransfer } from '@handoffs/workflows';
import type { FakeDomains } from '../fake-domains';
import { escalatedTo, extendSuspendResume, stagePublished, taskOf, type Scenario } from '../scenario';

const SA: Actor = { domain: 'social-services', caseworkerId: 'sa.yilmaz' };
const JC: Actor = { domain: 'job-centre', caseworkerId: 'jc.mueller' };

/** Recognition served today; the effective date far enough ahead that the day before SGB II starts never comes first by itself. */
const today = () => dayOf(Date.now());
const effectiveDate = () => addDays(today(), 40);
const sgb2StartFor = (effective: string) => addDays(lastDayOfMonth(effective), 1);

interface Timing {
  confirmWithin?: Duration;
  decideWithin?: Duration;
  servedOn?: string;
  steps?: LegalDomainTransferInput['steps'];
}

function start(client: Client, caseRef: string, timing: Timing = {}) {
  const input: LegalDomainTransferInput = {
    caseRef,
    reportedBy: SA,
    reportedAt: new Date().toISOString(),
    recognition: { kind: 'refugee-status', servedOn: timing.servedOn ?? today() },
    confirmWithin: timing.confirmWithin ?? '1 hour',
    decideWithin: timing.decideWithin ?? '1 hour',
    ...(timing.steps ? { steps: timing.steps } : {}),
  };
  return client.workflow.start(legalDomainTransfer, {
    workflowId: `legal-domain-transfer:${caseRef}`,
    taskQueue: 'job-centre',
    args: [input],
    staticSummary: `Legal-domain transfer ${caseRef}: AsylbLG → SGB II after recognition`,
  });
}

async function confirm(domains: FakeDomains, handle: WorkflowHandle, effective = effectiveDate()) {
  const task = await taskOf(domains, handle, 'effective-date-confirmation');
  await handle.executeUpdate(confirmEffectiveDate, { args: [{ taskId: task.taskId, decidedBy: SA, effectiveDate: effective }] });
}

const award = (sgb2Start: string): Sgb2ApplicationDecision => ({ kind: 'award', from: sgb2Start, until: lastAwardDay(sgb2Start, 12) });

/** Once the decision task is open: the workflow takes a decision only then, and shows the stage only then. */
async function decide(domains: FakeDomains, handle: WorkflowHandle, decision: Sgb2ApplicationDecision) {
  const task = await taskOf(domains, handle, 'sgb-ii-decision');
  await stagePublished(handle, 'TARGET_APPLICATION');
  await handle.executeUpdate(decideSgb2Application, { args: [{ taskId: task.taskId, decidedBy: JC, decision }] });
}

/** The job centre awards SGB II from the start day; the handoff closes. */
async function awarded(domains: FakeDomains, handle: WorkflowHandle, effective = effectiveDate()) {
  await decide(domains, handle, award(sgb2StartFor(effective)));
  await handle.result();
  return handle;
}

export const LEGAL_DOMAIN_TRANSFER_SCENARIOS: Scenario[] = [
  {
    process: 'legal-domain-transfer',
    branch: 'confirmed-decided-in-time',
    covers: 'social services confirms the effective date, AsylbLG ends at month end, the application is handed over, the job centre awards SGB II in time',
    caseRef: 'SA-2026-RLT01',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await confirm(domains, handle);
      return awarded(domains, handle);
    },
  },
  {
    process: 'legal-domain-transfer',
    branch: 'no-need',
    covers: 'the job centre decides there is no need: NO_NEED, AsylbLG ends all the same',
    caseRef: 'SA-2026-RLT02',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await confirm(domains, handle);
      await decide(domains, handle, { kind: 'no-need', reason: 'income from employment covers the need' });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'legal-domain-transfer',
    branch: 'advance-paid-when-late',
    covers: 'the job centre misses its deadline (2-second steps here): an advance from the SGB II start (§ 42 SGB I), stuck and escalated; then the award supersedes it',
    caseRef: 'SA-2026-RLT03',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef, { decideWithin: '2 seconds' });
      await confirm(domains, handle);
      await escalatedTo(handle, 1);
      return awarded(domains, handle);
    },
  },
  {
    process: 'legal-domain-transfer',
    branch: 'advance-at-once-late-recognition',
    covers: 'the recognition became known late (SGB II start already passed): the advance is paid at once; the job centre extends its deadline, then awards',
    caseRef: 'SA-2026-RLT04',
    async run({ client, domains }) {
      const servedOn = addDays(today(), -35);
      const handle = await start(client, this.caseRef, { servedOn, decideWithin: '1 day' });
      await confirm(domains, handle, servedOn);
      await escalatedTo(handle, 1);
      await handle.executeUpdate(changeDeadline, { args: [{ action: 'extend', by: JC, reason: 'Income documents missing', extendBy: '3 days' }] });
      return awarded(domains, handle, servedOn);
    },
  },
  {
    process: 'legal-domain-transfer',
    branch: 'reimbursement-claim',
    covers: 'AsylbLG had already paid for SGB II days: a reimbursement claim between the carriers (§§ 105, 107 SGB X)',
    caseRef: 'SA-2026-RLT05',
    fakes: { asylblgPaidThrough: lastDayOfMonth(sgb2StartFor(effectiveDate())) },
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await confirm(domains, handle);
      return awarded(domains, handle);
    },
  },
  {
    process: 'legal-domain-transfer',
    branch: 'confirmation-deadline-escalated',
    covers: 'social services misses its deadline (2-second steps here): stuck, escalation task; then it confirms and the job centre decides',
    caseRef: 'SA-2026-RLT06',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef, { confirmWithin: '2 seconds' });
      await escalatedTo(handle, 1);
      await confirm(domains, handle);
      return awarded(domains, handle);
    },
  },
  {
    process: 'legal-domain-transfer',
    branch: 'deadlines-changed',
    covers: 'social services extends, suspends and resumes its deadline; the job centre extends its own; then both decide',
    caseRef: 'SA-2026-RLT07',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await taskOf(domains, handle, 'effective-date-confirmation');
      await extendSuspendResume(handle, SA, { extend: 'Waiting for the BAMF file', suspend: 'Person unreachable, hospitalised', resume: 'Person back' });
      await confirm(domains, handle);
      await taskOf(domains, handle, 'sgb-ii-decision');
      await stagePublished(handle, 'TARGET_APPLICATION');
      await handle.executeUpdate(changeDeadline, { args: [{ action: 'extend', by: JC, reason: 'Income documents missing', extendBy: '2 hours' }] });
      return awarded(domains, handle);
    },
  },
  {
    process: 'legal-domain-transfer',
    branch: 'step-failing-then-through',
    covers: "recording the end of AsylbLG fails at social services (stuck step-failing after 2 attempts here), is tried again and gets through",
    caseRef: 'SA-2026-RLT08',
    fakes: { endAsylblgFailsFor: 3 },
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef, { steps: { pickupWithin: '5 minutes', failingAfterAttempts: 2 } });
      await confirm(domains, handle);
      return awarded(domains, handle);
    },
  },
  {
    process: 'legal-domain-transfer',
    branch: 'running-waiting-for-confirmation',
    covers: 'running: the effective-date task is open at social services',
    caseRef: 'SA-2026-RLT09',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await taskOf(domains, handle, 'effective-date-confirmation');
      await stagePublished(handle, 'TRIGGERED');
      return handle;
    },
  },
  {
    process: 'legal-domain-transfer',
    branch: 'running-waiting-for-sgb2-decision',
    covers: "running: the application is at the job centre; its deadline and the advance date's timer are pending",
    caseRef: 'SA-2026-RLT10',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await confirm(domains, handle);
      await taskOf(domains, handle, 'sgb-ii-decision');
      await stagePublished(handle, 'TARGET_APPLICATION');
      return handle;
    },
  },
];
