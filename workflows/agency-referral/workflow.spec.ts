import { randomUUID } from 'node:crypto';
import { type Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { type NativeConnection, Worker } from '@temporalio/worker';
import {
  DueAt,
  EscalationLevel,
  HandoffStage,
  OwningDomain,
  Stuck,
  StuckReason,
  WaitingOn,
  type AgencyDecision,
  type AgencyGatewayActivities,
  type AgencyInformationSupply,
  type AgencyReferralInput,
  type DeadlineChangeRequest,
  type HandoffRecordActivities,
  type JobCentreAgencyReferralActivities,
  type OpenInboxTask,
  type ReferralSubmission,
} from '@handoffs/contracts';
import { eventually, newCaseRef, createWorkflowTestEnvironment, type WorkflowTestEnvironment } from '@handoffs/testing';
import { changeDeadline } from '@handoffs/workflows/messages';
import { agencyAnswerReceived, agencyReferralState, supplyAgencyInformation } from '@handoffs/workflows/messages';
import { agencyReferral } from './workflow';

const DAY_MS = 24 * 3600 * 1000;
const SUBJECT = { baCustomerNumber: '123A456789', familyName: 'Haddad', givenNames: 'Rami Yusuf', dateOfBirth: '1991-03-14' };

/** The referral workflow on a real Temporal server; the job centre's and the gateway's activities are recording fakes. */
describe('agency referral workflow', () => {
  let environment: WorkflowTestEnvironment;
  let namespace: string;
  let client: Client;
  let workerConnection: NativeConnection;
  let workflowBundle: { code: string };

  beforeAll(async () => {
    environment = await createWorkflowTestEnvironment('agency-referral');
    ({ namespace, client, workerConnection, workflowBundle } = environment);
  });

  afterAll(() => environment?.close());

  function fakeDomains(options: { agencyDownFor?: number } = {}) {
    const calls: { queue: string; activity: string; input: any }[] = [];
    const tasks: OpenInboxTask[] = [];
    let refusedConnections = options.agencyDownFor ?? 0;
    const records = (queue: string): HandoffRecordActivities => ({
      async openInboxTask(task) {
        tasks.push(task);
        calls.push({ queue, activity: 'openInboxTask', input: task });
        return { taskId: task.taskId };
      },
      async closeInboxTask(close) {
        calls.push({ queue, activity: 'closeInboxTask', input: close });
      },
      async recordTransfer(entry) {
        calls.push({ queue, activity: 'recordTransfer', input: entry });
      },
    });
    const jobCentre: JobCentreAgencyReferralActivities = {
      async precheckAgencyReferral(precheck) {
        calls.push({ queue: 'job-centre', activity: 'precheckAgencyReferral', input: precheck });
        return { workPermission: 'CLEARED' };
      },
      async recordAgencyReferralSent(sent) {
        calls.push({ queue: 'job-centre', activity: 'recordAgencyReferralSent', input: sent });
      },
      async recordAgencyDecision(delivery) {
        calls.push({ queue: 'job-centre', activity: 'recordAgencyDecision', input: delivery });
      },
    };
    const gateway: AgencyGatewayActivities = {
      async submitReferral(submission: ReferralSubmission) {
        if (refusedConnections > 0) {
          refusedConnections -= 1;
          throw new Error('connect ECONNREFUSED 127.0.0.1:4100');
        }
        calls.push({ queue: 'employment-agency-gateway', activity: 'submitReferral', input: submission });
        return { referralId: submission.referral.referralId, round: submission.referral.round, receivedAt: new Date().toISOString() };
      },
    };
    return {
      calls,
      tasks,
      submissions: () => calls.filter((c) => c.activity === 'submitReferral').map((c) => c.input as ReferralSubmission),
      jobCentre: { ...records('job-centre'), ...jobCentre },
      gateway: { ...records('employment-agency-gateway'), ...gateway },
    };
  }

  async function withDomains<T>(domains: ReturnType<typeof fakeDomains>, body: () => Promise<T>): Promise<T> {
    const jobCentre = await Worker.create({
      connection: workerConnection,
      dataConverter: environment.dataConverter,
      namespace,
      taskQueue: 'job-centre',
      workflowBundle,
      activities: domains.jobCentre,
    });
    const gateway = await Worker.create({
      connection: workerConnection,
      dataConverter: environment.dataConverter,
      namespace,
      taskQueue: 'employment-agency-gateway',
      activities: domains.gateway,
    });
    return jobCentre.runUntil(gateway.runUntil(body()));
  }

  function input(
    caseRef: string,
    times: { decisionWithin?: Duration; informationWithin?: Duration; resubmitEvery?: Duration } = {},
  ): AgencyReferralInput {
    return {
      caseRef,
      referralId: randomUUID(),
      requestedBy: { domain: 'job-centre', caseworkerId: 'jc.mueller' },
      requestedAt: new Date().toISOString(),
      programme: 'competence-assessment',
      subject: SUBJECT,
      decisionWithin: times.decisionWithin ?? '1 hour',
      informationWithin: times.informationWithin ?? '1 hour',
      resubmitEvery: times.resubmitEvery ?? '1 hour',
    };
  }

  async function start(referral: AgencyReferralInput): Promise<WorkflowHandle<typeof agencyReferral>> {
    return client.workflow.start(agencyReferral, {
      workflowId: `agency-referral:${referral.caseRef}`,
      taskQueue: 'job-centre',
      args: [referral],
    });
  }

  async function sentAndAcknowledged(handle: WorkflowHandle, domains: ReturnType<typeof fakeDomains>, round: number) {
    await eventually(async () =>
      domains.calls.some((c) => c.activity === 'recordAgencyReferralSent' && c.input.round === round) ? true : undefined,
    );
    return eventually(async () => {
      const state = await handle.query(agencyReferralState);
      return state.stage === 'SENT' && state.round === round ? state : undefined;
    });
  }

  function answer(referral: AgencyReferralInput, round: number, decision: AgencyDecision) {
    return { referralId: referral.referralId, round, decision, decidedAt: new Date().toISOString() };
  }

  async function attributes(handle: WorkflowHandle) {
    return (await handle.describe()).typedSearchAttributes;
  }

  /** 'accepted', or the type of the failure an Update was refused with. */
  function outcomeOf(update: Promise<unknown>): Promise<string | undefined> {
    return update.then(
      () => 'accepted',
      (error: unknown) => (error instanceof WorkflowUpdateFailedError ? (error.cause as { type?: string }).type : 'other'),
    );
  }

  async function askedForInformation(handle: WorkflowHandle, domains: ReturnType<typeof fakeDomains>, referral: AgencyReferralInput) {
    await sentAndAcknowledged(handle, domains, 1);
    await handle.signal(agencyAnswerReceived, answer(referral, 1, { outcome: 'NEEDS_INFO', missing: ['languageLevel'] }));
    return eventually(async () => {
      const state = await handle.query(agencyReferralState);
      return state.stage === 'NEEDS_INFO' && state.informationTaskId ? state : undefined;
    });
  }

  function supplied(taskId: string): AgencyInformationSupply {
    return { taskId, suppliedBy: { domain: 'job-centre', caseworkerId: 'jc.mueller' }, information: { languageLevel: 'B1' } };
  }

  it('checks, sends the referral through the gateway and takes the agency\'s acceptance, logging each transfer', async () => {
    const domains = fakeDomains();
    const referral = input(newCaseRef());
    await withDomains(domains, async () => {
      const handle = await start(referral);
      const waiting = await sentAndAcknowledged(handle, domains, 1);
      expect(waiting).toMatchObject({ waitingOn: 'employment-agency-gateway', stuck: false, workPermission: 'CLEARED' });
      const visible = await attributes(handle);
      expect([visible.get(HandoffStage), visible.get(WaitingOn), visible.get(OwningDomain), visible.get(Stuck)]).toEqual([
        'SENT',
        'employment-agency-gateway',
        'job-centre',
        false,
      ]);

      await handle.signal(agencyAnswerReceived, answer(referral, 1, { outcome: 'ACCEPTED' }));
      expect(await handle.result()).toMatchObject({ caseRef: referral.caseRef, outcome: 'ACCEPTED', refusalReason: null, rounds: 1 });
      const closed = await attributes(handle);
      expect([closed.get(HandoffStage), closed.get(WaitingOn)]).toEqual(['ACCEPTED', undefined]);
    });

    expect(domains.calls.map((c) => `${c.queue}:${c.activity}`)).toEqual([
      'job-centre:precheckAgencyReferral',
      'job-centre:recordTransfer',
      'employment-agency-gateway:submitReferral',
      'job-centre:recordAgencyReferralSent',
      'employment-agency-gateway:recordTransfer',
      'job-centre:recordAgencyDecision',
    ]);
    const sent = domains.calls[1].input;
    expect(sent).toMatchObject({ flowId: 'P3B-JC-AA-REFERRAL', direction: 'sent', legalBasis: '§ 50 Abs. 1 SGB II; §§ 88, 89 SGB X' });
    expect(sent.fieldNames).toContain('subject.baCustomerNumber');
    expect(domains.submissions()[0].receivedTransfer).toMatchObject({ direction: 'received', counterpart: 'job-centre' });
    expect(domains.calls[5].input.receivedTransfer).toMatchObject({ flowId: 'P3B-AA-JC-DECISION', direction: 'received' });
  });

  it('ends with the refusal and its reason; the case stays with the job centre; stray or invalid answers change nothing', async () => {
    const domains = fakeDomains();
    const referral = input(newCaseRef());
    await withDomains(domains, async () => {
      const handle = await start(referral);
      await sentAndAcknowledged(handle, domains, 1);
      await handle.signal(agencyAnswerReceived, { ...answer(referral, 1, { outcome: 'ACCEPTED' }), referralId: randomUUID() });
      await handle.signal(agencyAnswerReceived, answer(referral, 2, { outcome: 'ACCEPTED' }));
      await handle.signal(agencyAnswerReceived, answer(referral, 1, { outcome: 'REFUSED' }));
      expect(await handle.query(agencyReferralState)).toMatchObject({ stage: 'SENT', outcome: null });

      await handle.signal(agencyAnswerReceived, answer(referral, 1, { outcome: 'REFUSED', refusalReason: 'language-level-below-entry' }));
      expect(await handle.result()).toMatchObject({ outcome: 'REFUSED', refusalReason: 'language-level-below-entry' });
      const closed = await attributes(handle);
      expect([closed.get(HandoffStage), closed.get(OwningDomain), closed.get(WaitingOn)]).toEqual(['REFUSED', 'job-centre', undefined]);
    });
    const decisions = domains.calls.filter((c) => c.activity === 'recordAgencyDecision');
    expect(decisions).toHaveLength(1);
    expect(decisions[0].input.answer.decision).toEqual({ outcome: 'REFUSED', refusalReason: 'language-level-below-entry' });
  });

  it('gives the job centre a task when the agency asks for information, refuses bad answers to it, and sends the referral again', async () => {
    const domains = fakeDomains();
    const referral = input(newCaseRef());
    await withDomains(domains, async () => {
      const handle = await start(referral);
      await sentAndAcknowledged(handle, domains, 1);
      await handle.signal(agencyAnswerReceived, answer(referral, 1, { outcome: 'NEEDS_INFO', missing: ['languageLevel'] }));
      const asking = await eventually(async () => {
        const state = await handle.query(agencyReferralState);
        return state.stage === 'NEEDS_INFO' ? state : undefined;
      });
      expect(asking).toMatchObject({ waitingOn: 'job-centre', missing: ['languageLevel'] });
      const task = domains.tasks[0];
      expect(task).toMatchObject({ taskId: asking.informationTaskId, kind: 'agency-information-request', process: 'agency-referral' });
      expect(JSON.stringify(task.details)).not.toContain(SUBJECT.familyName);
      expect((await attributes(handle)).get(WaitingOn)).toBe('job-centre');

      const supply = (overrides: Partial<AgencyInformationSupply>): AgencyInformationSupply => ({
        taskId: task.taskId,
        suppliedBy: { domain: 'job-centre', caseworkerId: 'jc.mueller' },
        information: { languageLevel: 'B1' },
        ...overrides,
      });
      const refusal = (s: AgencyInformationSupply) =>
        handle.executeUpdate(supplyAgencyInformation, { args: [s] }).then(
          () => 'accepted',
          (error: unknown) => (error instanceof WorkflowUpdateFailedError ? (error.cause as { type?: string }).type : 'other'),
        );
      expect(await refusal(supply({ suppliedBy: { domain: 'employment-agency-gateway', caseworkerId: 'aa.meier' } }))).toBe('WrongDomain');
      expect(await refusal(supply({ taskId: randomUUID() }))).toBe('NotAwaitingInformation');
      expect(await refusal(supply({ information: {} }))).toBe('InvalidInformation');
      expect(await refusal(supply({ information: { languageLevel: 'Z9' as never } }))).toBe('InvalidInformation');
      expect(await handle.query(agencyReferralState)).toMatchObject({ stage: 'NEEDS_INFO', round: 1 });

      expect(await handle.executeUpdate(supplyAgencyInformation, { args: [supply({})] })).toMatchObject({ nextRound: 2, taskId: task.taskId });
      expect(await refusal(supply({}))).toBe('NotAwaitingInformation');
      await sentAndAcknowledged(handle, domains, 2);
      await handle.signal(agencyAnswerReceived, answer(referral, 1, { outcome: 'REFUSED', refusalReason: 'no-programme-capacity' }));
      await handle.signal(agencyAnswerReceived, answer(referral, 2, { outcome: 'ACCEPTED' }));
      expect(await handle.result()).toMatchObject({ outcome: 'ACCEPTED', rounds: 2 });
    });
    const [first, second] = domains.submissions();
    expect(first.referral).toMatchObject({ round: 1, referralId: referral.referralId });
    expect(first.referral.languageLevel).toBeUndefined();
    expect(second.referral).toMatchObject({ round: 2, referralId: referral.referralId, languageLevel: 'B1' });
    expect(second.receivedTransfer.flowId).toBe('P3B-JC-AA-INFORMATION');
    expect(domains.calls.find((c) => c.activity === 'closeInboxTask')?.input).toMatchObject({
      state: 'completed',
      completedBy: { caseworkerId: 'jc.mueller' },
      resolution: { supplied: ['languageLevel'] },
    });
  });

  it('marks the handoff stuck (external-silent) and escalates while the agency is silent, sends again, and clears it when the answer comes', async () => {
    const domains = fakeDomains();
    const referral = input(newCaseRef(), { decisionWithin: '2 seconds', resubmitEvery: '1 second' });
    await withDomains(domains, async () => {
      const handle = await start(referral);
      const stuck = await eventually(async () => {
        const visible = await attributes(handle);
        return visible.get(Stuck) === true ? visible : undefined;
      });
      expect(stuck.get(StuckReason)).toBe('external-silent');
      expect(stuck.get(EscalationLevel)).toBeGreaterThanOrEqual(1);
      expect(await handle.query(agencyReferralState)).toMatchObject({ stage: 'SENT', stuck: true, stuckReason: 'external-silent' });
      await eventually(async () => (domains.submissions().length >= 2 ? true : undefined));
      expect(new Set(domains.submissions().map((s) => `${s.referral.referralId}:${s.referral.round}`)).size).toBe(1);

      await handle.signal(agencyAnswerReceived, answer(referral, 1, { outcome: 'ACCEPTED' }));
      await handle.result();
      const cleared = await attributes(handle);
      expect([cleared.get(Stuck), cleared.get(StuckReason), cleared.get(EscalationLevel)]).toEqual([false, undefined, 0]);
    });
    // The job centre's team lead follows up with the silent agency: the task is in the job centre's inbox.
    const escalation = domains.calls.find((c) => c.activity === 'openInboxTask' && c.input.kind === 'agency-decision-round-1-escalation-1');
    expect(escalation).toMatchObject({
      queue: 'job-centre',
      input: { process: 'agency-referral', details: { escalatedTo: 'team lead', level: 1, round: 1, waitingOn: 'employment-agency-gateway' } },
    });
    const closed = domains.calls.filter((c) => c.activity === 'closeInboxTask' && c.input.kind.startsWith('agency-decision-round-1-escalation-'));
    expect(closed.length).toBeGreaterThanOrEqual(1);
    expect(closed.every((c) => c.queue === 'job-centre' && c.input.state === 'completed')).toBe(true);
    expect(closed[0].input.resolution).toMatchObject({ outcome: 'ACCEPTED' });
  });

  it('escalates a missed information deadline with a task in the job centre\'s inbox, and closes it when the information is in', async () => {
    const domains = fakeDomains();
    const referral = input(newCaseRef(), { informationWithin: '2 seconds' });
    await withDomains(domains, async () => {
      const handle = await start(referral);
      const asking = await askedForInformation(handle, domains, referral);
      const stuck = await eventually(async () => {
        const state = await handle.query(agencyReferralState);
        return state.stuck ? state : undefined;
      });
      expect(stuck).toMatchObject({ stage: 'NEEDS_INFO', stuckReason: 'deadline-passed', waitingOn: 'job-centre' });
      expect(stuck.escalationLevel).toBeGreaterThanOrEqual(1);
      const opened = await eventually(async () =>
        domains.tasks.find((t) => t.kind === 'agency-information-request-round-1-escalation-1'),
      );
      expect(opened).toMatchObject({
        process: 'agency-referral',
        caseRef: referral.caseRef,
        details: { escalatedTo: 'team lead', level: 1, informationTaskId: asking.informationTaskId, missing: ['languageLevel'] },
      });
      expect(JSON.stringify(opened.details)).not.toContain(SUBJECT.familyName);
      expect(domains.calls.find((c) => c.input === opened)?.queue).toBe('job-centre');

      await handle.executeUpdate(supplyAgencyInformation, { args: [supplied(asking.informationTaskId!)] });
      await sentAndAcknowledged(handle, domains, 2);
      expect(await handle.query(agencyReferralState)).toMatchObject({ stuck: false, stuckReason: null, escalationLevel: 0 });
      await handle.signal(agencyAnswerReceived, answer(referral, 2, { outcome: 'ACCEPTED' }));
      expect((await handle.result()).outcome).toBe('ACCEPTED');
    });
    const escalationKinds = domains.tasks.map((t) => t.kind).filter((kind) => kind.includes('-escalation-'));
    const closed = domains.calls.filter((c) => c.activity === 'closeInboxTask' && escalationKinds.includes(c.input.kind));
    expect(closed.map((c) => c.input.kind).sort()).toEqual([...escalationKinds].sort());
    expect(closed.every((c) => c.queue === 'job-centre' && c.input.state === 'completed')).toBe(true);
    expect(closed[0].input).toMatchObject({ completedBy: { caseworkerId: 'jc.mueller' }, resolution: { supplied: ['languageLevel'] } });
  });

  it('lets the job centre extend, suspend and resume its information deadline with a reason, nobody else, and nobody the agency\'s', async () => {
    const domains = fakeDomains();
    const referral = input(newCaseRef());
    const caseworker = { domain: 'job-centre' as const, caseworkerId: 'jc.mueller' };
    await withDomains(domains, async () => {
      const handle = await start(referral);
      const change = (request: DeadlineChangeRequest) => handle.executeUpdate(changeDeadline, { args: [request] });

      // Waiting on the agency: the city cannot give the agency more time.
      await sentAndAcknowledged(handle, domains, 1);
      expect(await outcomeOf(change({ action: 'extend', by: caseworker, reason: 'Agency is busy', extendBy: '1 day' }))).toBe('NoDeadline');
      expect(
        await outcomeOf(change({ action: 'extend', by: { domain: 'employment-agency-gateway', caseworkerId: 'aa.meier' }, reason: 'More time', extendBy: '1 day' })),
      ).toBe('NoDeadline');

      const before = await askedForInformation(handle, domains, referral);
      expect(
        await outcomeOf(change({ action: 'extend', by: { domain: 'employment-agency-gateway', caseworkerId: 'aa.meier' }, reason: 'Please', extendBy: '1 day' })),
      ).toBe('WrongDomain');
      expect(await outcomeOf(change({ action: 'extend', by: { domain: 'immigration', caseworkerId: 'abh.lead' }, reason: 'Please', extendBy: '1 day' }))).toBe(
        'WrongDomain',
      );
      expect(await outcomeOf(change({ action: 'extend', by: caseworker, reason: '', extendBy: '1 day' }))).toBe('InvalidDeadlineChange');
      expect(await outcomeOf(change({ action: 'resume', by: caseworker, reason: 'Nothing to resume' }))).toBe('InvalidDeadlineChange');

      const extended = await change({ action: 'extend', by: caseworker, reason: 'Language test next week', extendBy: '1 day' });
      expect(Date.parse(extended.dueAt!) - Date.parse(before.dueAt!)).toBe(DAY_MS);
      expect((await handle.query(agencyReferralState)).dueAt).toBe(extended.dueAt);

      const suspended = await change({ action: 'suspend', by: caseworker, reason: 'Client in hospital' });
      expect(suspended).toMatchObject({ dueAt: null, suspended: true });
      expect(await handle.query(agencyReferralState)).toMatchObject({ stage: 'NEEDS_INFO', dueAt: null });
      expect(await eventually(async () => ((await attributes(handle)).get(DueAt) === undefined ? true : undefined))).toBe(true);

      const resumed = await change({ action: 'resume', by: caseworker, reason: 'Client back' });
      expect(resumed.suspended).toBe(false);
      expect(resumed.dueAt).not.toBeNull();
      expect(resumed.changes.map((c) => c.action)).toEqual(['extend', 'suspend', 'resume']);
      expect(resumed.changes[0]).toMatchObject({ by: caseworker, reason: 'Language test next week', extendBy: '1 day' });
      expect(await eventually(async () => ((await attributes(handle)).get(DueAt) !== undefined ? true : undefined))).toBe(true);

      await handle.executeUpdate(supplyAgencyInformation, { args: [supplied(before.informationTaskId!)] });
      await sentAndAcknowledged(handle, domains, 2);
      expect(await outcomeOf(change({ action: 'suspend', by: caseworker, reason: 'Too late' }))).toBe('NoDeadline');
      await handle.signal(agencyAnswerReceived, answer(referral, 2, { outcome: 'ACCEPTED' }));
      expect((await handle.result()).outcome).toBe('ACCEPTED');
    });
    expect(domains.tasks.filter((t) => t.kind.includes('-escalation-'))).toHaveLength(0);
  });

  it('keeps sending while the agency\'s system is unreachable, visibly stuck, and goes on once it takes the referral', async () => {
    const domains = fakeDomains({ agencyDownFor: 3 });
    const referral = input(newCaseRef(), { decisionWithin: '2 seconds' });
    await withDomains(domains, async () => {
      const handle = await start(referral);
      const stuck = await eventually(async () => {
        const state = await handle.query(agencyReferralState);
        return state.stuck ? state : undefined;
      });
      expect(stuck).toMatchObject({ stage: 'SENT', stuckReason: 'external-silent' });
      await sentAndAcknowledged(handle, domains, 1);
      await handle.signal(agencyAnswerReceived, answer(referral, 1, { outcome: 'ACCEPTED' }));
      expect((await handle.result()).outcome).toBe('ACCEPTED');
    });
    expect(domains.submissions()).toHaveLength(1);
  });
});
