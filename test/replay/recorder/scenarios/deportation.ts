import type { Client, WorkflowHandle } from '@temporalio/client';
import { DueAt, HandoffStage, type Actor, type DeportationInput } from '@handoffs/contracts';
import { eventually } from '@handoffs/testing';
import {
  cancelDeportation,
  completeParticipation,
  decideOnConcern,
  deportation,
  recordExecution,
  reportSeparation,
  scheduleDeportation,
} from '@handoffs/workflows';
import type { FakeDomains } from '../fake-domains';
import { escalatedTo, extendSuspendResume, inDays, pause, stagePublished, taskOf, type Scenario } from '../scenario';

const ABH: Actor = { domain: 'immigration', caseworkerId: 'abh.vollzug' };
const KSD: Actor = { domain: 'social-services', caseworkerId: 'ksd.becker' };

/** 10:00 Berlin time in winter (09:00 UTC), days ahead: a day operation. */
const dayOperation = (daysAhead = 3) => `${inDays(daysAhead)}T09:00:00.000Z`;

function start(client: Client, caseRef: string, extra: Partial<DeportationInput> = {}) {
  const input: DeportationInput = {
    caseRef,
    requestedBy: ABH,
    requestedAt: new Date().toISOString(),
    family: { childrenAges: [4, 9, 15], vulnerabilities: ['school-age-children'] },
    plannedDate: inDays(10),
    participationWithin: '1 hour',
    ...extra,
  };
  return client.workflow.start(deportation, {
    workflowId: `deportation:${caseRef}`,
    taskQueue: 'immigration',
    args: [input],
    staticSummary: `Deportation ${caseRef}: immigration office, with the KSD's child-welfare participation`,
  });
}

/**
 * The participation is on record and the workflow waits for the date. (Stage PARTICIPATED alone does not
 * say so: an answer that arrives with the task's opening shows that stage while the finding is still
 * being recorded; only the waiting stage has no due date.)
 */
async function participationOnRecord(handle: WorkflowHandle) {
  await eventually(async () => {
    const attributes = (await handle.describe()).typedSearchAttributes;
    return attributes.get(HandoffStage) === 'PARTICIPATED' && attributes.get(DueAt) === undefined ? true : undefined;
  }, 30000, 'the participation on record');
}

async function participate(domains: FakeDomains, handle: WorkflowHandle, kind: string, finding: 'no-concern' | 'concern') {
  const task = await taskOf(domains, handle, kind);
  await handle.executeUpdate(completeParticipation, {
    args: [{ taskId: task.taskId, actor: KSD, finding, ...(finding === 'concern' ? { concernReason: 'care-arrangement-missing' as const } : {}) }],
  });
}

/** The KSD has no concern and the date is set: benefits planned to end, waiting for the departure. */
async function scheduled(client: Client, domains: FakeDomains, caseRef: string) {
  const handle = await start(client, caseRef);
  await participate(domains, handle, 'child-welfare-participation', 'no-concern');
  await participationOnRecord(handle);
  await handle.executeUpdate(scheduleDeportation, { args: [{ actor: ABH, plannedAt: dayOperation() }] });
  await stagePublished(handle, 'SCHEDULED');
  return handle;
}

async function halted(client: Client, domains: FakeDomains, caseRef: string) {
  const handle = await start(client, caseRef);
  await participate(domains, handle, 'child-welfare-participation', 'concern');
  const decision = await taskOf(domains, handle, 'deportation-decision');
  await stagePublished(handle, 'HALTED');
  return { handle, decisionTaskId: decision.taskId };
}

export const DEPORTATION_SCENARIOS: Scenario[] = [
  {
    process: 'deportation',
    branch: 'no-concern-scheduled-executed',
    covers: 'the KSD takes part with no concern, the immigration office sets the date, the departure is recorded: DEPORTED, benefits end that day',
    caseRef: 'ABH-2026-RDP01',
    async run({ client, domains }) {
      const handle = await scheduled(client, domains, this.caseRef);
      await handle.executeUpdate(recordExecution, { args: [{ actor: ABH, departedAt: new Date(Date.now() - 60_000).toISOString(), departure: 'deported' }] });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'deportation',
    branch: 'concern-proceed-voluntary-departure',
    covers: 'a concern halts the case; the immigration office decides to proceed, sets the date; the family leaves voluntarily',
    caseRef: 'ABH-2026-RDP02',
    async run({ client, domains }) {
      const { handle, decisionTaskId } = await halted(client, domains, this.caseRef);
      await handle.executeUpdate(decideOnConcern, { args: [{ taskId: decisionTaskId, actor: ABH, decision: 'proceed' }] });
      await participationOnRecord(handle);
      await handle.executeUpdate(scheduleDeportation, { args: [{ actor: ABH, plannedAt: dayOperation() }] });
      await stagePublished(handle, 'SCHEDULED');
      await handle.executeUpdate(recordExecution, { args: [{ actor: ABH, departedAt: new Date().toISOString(), departure: 'voluntary' }] });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'deportation',
    branch: 'concern-postponed-second-round-cancelled',
    covers: 'a concern; postponed to a later day, so the KSD is asked again (round 2), no concern; then cancelled (toleration granted) and unwound',
    caseRef: 'ABH-2026-RDP03',
    async run({ client, domains }) {
      const { handle, decisionTaskId } = await halted(client, domains, this.caseRef);
      await handle.executeUpdate(decideOnConcern, { args: [{ taskId: decisionTaskId, actor: ABH, decision: 'postpone', plannedDate: inDays(30) }] });
      await participate(domains, handle, 'child-welfare-participation-b', 'no-concern');
      await participationOnRecord(handle);
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'toleration-granted' }] });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'deportation',
    branch: 'concern-cancelled',
    covers: 'a concern; the immigration office cancels for child welfare: SUSPENDED, decision task closed, assignment released, participation task withdrawn',
    caseRef: 'ABH-2026-RDP04',
    async run({ client, domains }) {
      const { handle, decisionTaskId } = await halted(client, domains, this.caseRef);
      await handle.executeUpdate(decideOnConcern, { args: [{ taskId: decisionTaskId, actor: ABH, decision: 'cancel', cancellationReason: 'child-welfare' }] });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'deportation',
    branch: 'scheduled-cancelled-unwound',
    covers: 'scheduled, then the family absconds: ABORTED, unwound newest first (benefits restored, assignment released, task withdrawn)',
    caseRef: 'ABH-2026-RDP05',
    async run({ client, domains }) {
      const handle = await scheduled(client, domains, this.caseRef);
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'absconded' }] });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'deportation',
    branch: 'cancelled-before-participation',
    covers: 'cancelled (medical certificate) while the KSD has not answered: its task is withdrawn',
    caseRef: 'ABH-2026-RDP06',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await taskOf(domains, handle, 'child-welfare-participation');
      await stagePublished(handle, 'PREPARATION');
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'medical-certificate' }] });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'deportation',
    branch: 'separation-partial',
    covers: 'two children separated (Updates opening child-protection tasks at once), then the departure: PARTIAL',
    caseRef: 'ABH-2026-RDP07',
    async run({ client, domains }) {
      const handle = await scheduled(client, domains, this.caseRef);
      await handle.executeUpdate(reportSeparation, { args: [{ actor: ABH, childAge: 9, circumstance: 'hospitalised' }] });
      await handle.executeUpdate(reportSeparation, { args: [{ actor: KSD, childAge: 15, circumstance: 'child-absconded' }] });
      await handle.executeUpdate(recordExecution, { args: [{ actor: ABH, departedAt: new Date().toISOString(), departure: 'deported' }] });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'deportation',
    branch: 'participation-deadline-escalated',
    covers: 'the KSD misses its deadline (2-second steps here): stuck, escalated to the top of the ladder; then it answers; then a court stay',
    caseRef: 'ABH-2026-RDP08',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef, { participationWithin: '2 seconds' });
      await escalatedTo(handle, 2);
      await pause(3000); // past the head of department's step too
      await participate(domains, handle, 'child-welfare-participation', 'no-concern');
      await participationOnRecord(handle);
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'court-stay' }] });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'deportation',
    branch: 'participation-deadline-changed',
    covers: 'the KSD extends, suspends and resumes its deadline with reasons, then takes part; then a failed attempt cancels the case',
    caseRef: 'ABH-2026-RDP09',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await taskOf(domains, handle, 'child-welfare-participation');
      await stagePublished(handle, 'PREPARATION');
      await extendSuspendResume(handle, KSD, { extend: 'Interpreter needed', suspend: 'Family in hospital', resume: 'Family back home' });
      await participate(domains, handle, 'child-welfare-participation', 'no-concern');
      await participationOnRecord(handle);
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'failed-attempt' }] });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'deportation',
    branch: 'social-services-unavailable',
    covers: "social services' service is down at the start (pick-up within 1 second here): stuck domain-unavailable until it is back; then it goes on",
    caseRef: 'ABH-2026-RDP10',
    down: ['social-services'],
    async run({ client, domains, bringUp }) {
      const handle = await start(client, this.caseRef, { steps: { pickupWithin: '1 second', failingAfterAttempts: 5 } });
      await pause(4000);
      await bringUp('social-services');
      await participate(domains, handle, 'child-welfare-participation', 'no-concern');
      await participationOnRecord(handle);
      await handle.executeUpdate(cancelDeportation, { args: [{ actor: ABH, reason: 'travel-document-unobtainable' }] });
      await handle.result();
      return handle;
    },
  },
  {
    process: 'deportation',
    branch: 'running-waiting-for-participation',
    covers: "running: the KSD's participation task is open",
    caseRef: 'ABH-2026-RDP11',
    async run({ client, domains }) {
      const handle = await start(client, this.caseRef);
      await taskOf(domains, handle, 'child-welfare-participation');
      await stagePublished(handle, 'PREPARATION');
      return handle;
    },
  },
  {
    process: 'deportation',
    branch: 'running-scheduled',
    covers: 'running: the date is set and shared, benefits planned to end; waiting for the departure',
    caseRef: 'ABH-2026-RDP12',
    async run({ client, domains }) {
      return scheduled(client, domains, this.caseRef);
    },
  },
];
