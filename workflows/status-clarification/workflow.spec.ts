import { Client, Connection, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import {
  DueAt,
  EscalationLevel,
  HandoffStage,
  Stuck,
  StuckReason,
  WaitingOn,
  type HandoffRecordActivities,
  type JobCentreStatusActivities,
  type StatusClarificationInput,
  type StatusInquiryDecision,
} from '@handoffs/contracts';
import { workflowCodeOptions } from '@handoffs/temporal';
import { ANSWER_ALLOWED, SUBJECT, createTestNamespace, eventually, newCaseRef, testStack } from '@handoffs/testing';
import { answerStatusInquiry, statusClarificationState } from './messages';
import { statusClarification } from './workflow';

/** The workflow on a real Temporal server, with the domains' activities replaced by recording fakes. */
describe('status clarification workflow', () => {
  let namespace: string;
  let client: Client;
  let clientConnection: Connection;
  let workerConnection: NativeConnection;
  let workflowBundle: { code: string };

  beforeAll(async () => {
    namespace = await createTestNamespace('status-clarification');
    clientConnection = await Connection.connect({ address: testStack().temporalAddress });
    client = new Client({ connection: clientConnection, namespace });
    workerConnection = await NativeConnection.connect({ address: testStack().temporalAddress });
    const source = workflowCodeOptions(undefined);
    workflowBundle = await bundleWorkflowCode({
      workflowsPath: source.workflowsPath!,
      webpackConfigHook: source.bundlerOptions!.webpackConfigHook,
    });
  });

  afterAll(async () => {
    await workerConnection?.close();
    await clientConnection?.close();
  });

  function fakeDomains(options: { deliveryGate?: Promise<void>; inboxGate?: Promise<void> } = {}) {
    const calls: { queue: string; activity: string; input: unknown }[] = [];
    const taskIds = new Map<string, string>();
    const records = (queue: string): HandoffRecordActivities => ({
      async openInboxTask(task) {
        taskIds.set(task.caseRef, task.taskId);
        await options.inboxGate;
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
    const jobCentre: JobCentreStatusActivities = {
      async deliverStatusAnswer(delivery) {
        await options.deliveryGate;
        calls.push({ queue: 'job-centre', activity: 'deliverStatusAnswer', input: delivery });
      },
    };
    return { calls, taskIds, immigration: records('immigration'), jobCentre: { ...records('job-centre'), ...jobCentre } };
  }

  async function withDomains<T>(domains: ReturnType<typeof fakeDomains>, body: () => Promise<T>): Promise<T> {
    const immigration = await Worker.create({
      connection: workerConnection,
      namespace,
      taskQueue: 'immigration',
      workflowBundle,
      activities: domains.immigration,
    });
    const jobCentre = await Worker.create({
      connection: workerConnection,
      namespace,
      taskQueue: 'job-centre',
      activities: domains.jobCentre,
    });
    return immigration.runUntil(jobCentre.runUntil(body()));
  }

  function input(caseRef: string, answerWithin: Duration = '1 hour'): StatusClarificationInput {
    return {
      caseRef,
      requestedBy: { domain: 'job-centre', caseworkerId: 'jc.mueller' },
      requestedAt: new Date().toISOString(),
      inquiry: { subject: SUBJECT, questions: ['employment-permitted', 'document-validity'] },
      answerWithin,
    };
  }

  async function start(caseRef: string, answerWithin?: Duration): Promise<WorkflowHandle<typeof statusClarification>> {
    return client.workflow.start(statusClarification, {
      workflowId: `status-clarification:${caseRef}`,
      taskQueue: 'immigration',
      args: [input(caseRef, answerWithin)],
    });
  }

  async function searchAttributes(handle: WorkflowHandle) {
    return (await handle.describe()).typedSearchAttributes;
  }

  let domains: ReturnType<typeof fakeDomains>;

  function decision(caseRef: string, overrides: Partial<StatusInquiryDecision> = {}): StatusInquiryDecision {
    return {
      taskId: domains.taskIds.get(caseRef) ?? 'no task opened yet',
      answeredBy: { domain: 'immigration', caseworkerId: 'abh.schmidt' },
      answer: ANSWER_ALLOWED,
      ...overrides,
    };
  }

  it('asks the immigration office, takes its answer and delivers it to the job centre, logging each transfer', async () => {
    domains = fakeDomains();
    const caseRef = newCaseRef();
    await withDomains(domains, async () => {
      const handle = await start(caseRef);
      const waiting = await eventually(async () => {
        const state = await handle.query(statusClarificationState);
        return state.stage === 'ABH_ASKED' ? state : undefined;
      });
      expect(waiting).toMatchObject({ waitingOn: 'immigration', stuck: false, escalationLevel: 0 });
      const attributes = await searchAttributes(handle);
      expect(attributes.get(HandoffStage)).toBe('ABH_ASKED');
      expect(attributes.get(WaitingOn)).toBe('immigration');
      expect(attributes.get(Stuck)).toBe(false);
      expect(attributes.get(DueAt)?.toISOString()).toBe(waiting.dueAt);

      const restricted = { ...ANSWER_ALLOWED, employmentRestriction: 'only with employer Ruhr Logistik GmbH' };
      const accepted = await handle.executeUpdate(answerStatusInquiry, { args: [decision(caseRef, { answer: restricted })] });
      expect(accepted.outcome).toBe('CLEARED_WITH_RESTRICTION');
      const result = await handle.result();
      expect(result).toMatchObject({ caseRef, outcome: 'CLEARED_WITH_RESTRICTION', answeredBy: { caseworkerId: 'abh.schmidt' } });

      const closed = await searchAttributes(handle);
      expect(closed.get(HandoffStage)).toBe('CLOSED');
      expect(closed.get(WaitingOn)).toBeUndefined();
    });

    const steps = domains.calls.map((c) => `${c.queue}:${c.activity}`);
    expect(steps).toEqual([
      'job-centre:recordTransfer',
      'immigration:openInboxTask',
      'immigration:recordTransfer',
      'job-centre:deliverStatusAnswer',
      'immigration:closeInboxTask',
    ]);
    const inquirySent = domains.calls[0].input as { fieldNames: string[]; legalBasis: string; direction: string };
    expect(inquirySent).toMatchObject({ direction: 'sent', legalBasis: '§ 69 Abs. 1 Nr. 1 SGB X' });
    expect(inquirySent.fieldNames).toEqual([
      'questions',
      'subject.azrNumber',
      'subject.dateOfBirth',
      'subject.familyName',
      'subject.givenNames',
    ]);
    const delivered = domains.calls[3].input as { receivedTransfer: { fieldNames: string[]; direction: string } };
    expect(delivered.receivedTransfer.direction).toBe('received');
    expect(delivered.receivedTransfer.fieldNames).toContain('employmentPermission');
  });

  it('refuses an answer from another domain, for another task or inconsistent in itself, and accepts only one answer', async () => {
    let openGate!: () => void;
    const deliveryGate = new Promise<void>((resolve) => (openGate = resolve));
    domains = fakeDomains({ deliveryGate });
    const caseRef = newCaseRef();
    await withDomains(domains, async () => {
      const handle = await start(caseRef);
      await eventually(async () => ((await handle.query(statusClarificationState)).stage === 'ABH_ASKED' ? true : undefined));

      const refusal = (d: StatusInquiryDecision) =>
        handle.executeUpdate(answerStatusInquiry, { args: [d] }).then(
          () => 'accepted',
          (error: unknown) => (error instanceof WorkflowUpdateFailedError ? (error.cause as { type?: string }).type : 'other'),
        );
      expect(await refusal(decision(caseRef, { answeredBy: { domain: 'job-centre', caseworkerId: 'jc.mueller' } }))).toBe('WrongDomain');
      expect(await refusal(decision(caseRef, { taskId: 'task-someone-else' }))).toBe('NotAwaitingAnswer');
      expect(await refusal(decision(caseRef, { answer: { ...ANSWER_ALLOWED, validUntil: '2020-01-01' } }))).toBe('InvalidAnswer');
      expect((await handle.query(statusClarificationState)).answer).toBeNull();

      expect(await refusal(decision(caseRef))).toBe('accepted');
      expect(await refusal(decision(caseRef, { answeredBy: { domain: 'immigration', caseworkerId: 'abh.other' } }))).toBe('AlreadyAnswered');
      openGate();
      expect((await handle.result()).answeredBy.caseworkerId).toBe('abh.schmidt');
    });
    expect(domains.calls.filter((c) => c.activity === 'deliverStatusAnswer')).toHaveLength(1);
  });

  it('accepts an answer that arrives while the workflow is still recording the inbox task', async () => {
    let openGate!: () => void;
    domains = fakeDomains({ inboxGate: new Promise<void>((resolve) => (openGate = resolve)) });
    const caseRef = newCaseRef();
    await withDomains(domains, async () => {
      const handle = await start(caseRef);
      await eventually(async () => domains.taskIds.get(caseRef));
      expect((await handle.query(statusClarificationState)).stage).toBe('REQUESTED');
      const accepted = await handle.executeUpdate(answerStatusInquiry, { args: [decision(caseRef)] });
      expect(accepted.outcome).toBe('CLEARED');
      openGate();
      expect((await handle.result()).outcome).toBe('CLEARED');
    });
  });

  it('marks the handoff stuck and escalates when the deadline passes, and clears it once answered', async () => {
    domains = fakeDomains();
    const caseRef = newCaseRef();
    await withDomains(domains, async () => {
      const handle = await start(caseRef, '2 seconds');
      const stuck = await eventually(async () => {
        const attributes = await searchAttributes(handle);
        return attributes.get(Stuck) === true ? attributes : undefined;
      });
      expect(stuck.get(StuckReason)).toBe('deadline-passed');
      expect(stuck.get(EscalationLevel)).toBeGreaterThanOrEqual(1);
      expect((await handle.query(statusClarificationState)).escalationLevel).toBeGreaterThanOrEqual(1);

      await handle.executeUpdate(answerStatusInquiry, { args: [decision(caseRef)] });
      await handle.result();
      const cleared = await searchAttributes(handle);
      expect(cleared.get(Stuck)).toBe(false);
      expect(cleared.get(StuckReason)).toBeUndefined();
      expect(cleared.get(HandoffStage)).toBe('CLOSED');
    });
  });
});
