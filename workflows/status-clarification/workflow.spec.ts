import { type Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { type NativeConnection, Worker } from '@temporalio/worker';
import {
  DueAt,
  EscalationLevel,
  HandoffStage,
  Stuck,
  StuckReason,
  WaitingOn,
  type AgencyConsentGatewayActivities,
  type AgencyConsentSubmission,
  type DeadlineChangeRequest,
  type HandoffRecordActivities,
  type ImmigrationRegisterActivities,
  type JobCentreStatusActivities,
  type OpenInboxTask,
  type StatusAnswer,
  type StatusClarificationInput,
  type StatusInquiry,
  type StatusInquiryDecision,
} from '@handoffs/contracts';
import { ANSWER_ALLOWED, SUBJECT, eventually, newCaseRef, createWorkflowTestEnvironment, type WorkflowTestEnvironment } from '@handoffs/testing';
import { changeDeadline } from '@handoffs/workflows/messages';
import { agencyConsentAnswered, answerStatusInquiry, statusClarificationState, withdrawStatusClarification } from '@handoffs/workflows/messages';
import { statusClarification } from './workflow';

const DAY_MS = 24 * 3600 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
/** Valid for a week: the re-check (28 days ahead of expiry) is due at once, so the workflow ends. */
const EXPIRING: StatusAnswer = { ...ANSWER_ALLOWED, validUntil: inDays(7) };

/** The workflow on a real Temporal server, with the domains' activities replaced by recording fakes. */
describe('status clarification workflow', () => {
  let environment: WorkflowTestEnvironment;
  let namespace: string;
  let client: Client;
  let workerConnection: NativeConnection;
  let workflowBundle: { code: string };

  beforeAll(async () => {
    environment = await createWorkflowTestEnvironment('status-clarification');
    ({ namespace, client, workerConnection, workflowBundle } = environment);
  });

  afterAll(() => environment?.close());

  interface FakeOptions {
    deliveryGate?: Promise<void>;
    inboxGate?: Promise<void>;
    onRecord?: StatusAnswer;
  }

  function fakeDomains(options: FakeOptions = {}) {
    const calls: { queue: string; activity: string; input: any }[] = [];
    const taskIds = new Map<string, string>();
    const records = (queue: string): HandoffRecordActivities => ({
      async openInboxTask(task: OpenInboxTask) {
        if (task.kind === 'status-inquiry') {
          taskIds.set(task.caseRef, task.taskId);
          await options.inboxGate;
        }
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
    const register: ImmigrationRegisterActivities = {
      async findCurrentStatus() {
        return options.onRecord ?? null;
      },
    };
    const jobCentre: JobCentreStatusActivities = {
      async deliverStatusAnswer(delivery) {
        await options.deliveryGate;
        calls.push({ queue: 'job-centre', activity: 'deliverStatusAnswer', input: delivery });
      },
    };
    const consentRequests: AgencyConsentSubmission[] = [];
    const gateway: AgencyConsentGatewayActivities = {
      async requestAgencyConsent(submission) {
        consentRequests.push(submission);
        calls.push({ queue: 'employment-agency-gateway', activity: 'requestAgencyConsent', input: submission });
        return { consentRequestId: submission.request.consentRequestId, receivedAt: new Date().toISOString() };
      },
    };
    return {
      calls,
      taskIds,
      consentRequests,
      immigration: { ...records('immigration'), ...register },
      jobCentre: { ...records('job-centre'), ...jobCentre },
      socialServices: records('social-services'),
      gateway,
    };
  }

  let domains: ReturnType<typeof fakeDomains>;

  async function withDomains<T>(body: () => Promise<T>): Promise<T> {
    const immigration = await Worker.create({
      connection: workerConnection,
      dataConverter: environment.dataConverter,
      namespace,
      taskQueue: 'immigration',
      workflowBundle,
      activities: domains.immigration,
    });
    const jobCentre = await Worker.create({ connection: workerConnection, dataConverter: environment.dataConverter, namespace, taskQueue: 'job-centre', activities: domains.jobCentre });
    const gateway = await Worker.create({
      connection: workerConnection,
      dataConverter: environment.dataConverter,
      namespace,
      taskQueue: 'employment-agency-gateway',
      activities: domains.gateway,
    });
    const socialServices = await Worker.create({
      connection: workerConnection,
      dataConverter: environment.dataConverter,
      namespace,
      taskQueue: 'social-services',
      activities: domains.socialServices,
    });
    return immigration.runUntil(jobCentre.runUntil(gateway.runUntil(socialServices.runUntil(body()))));
  }

  function input(caseRef: string, answerWithin: Duration = '1 hour', extra: Partial<StatusClarificationInput> = {}): StatusClarificationInput {
    return {
      caseRef,
      requestedBy: { domain: 'job-centre', caseworkerId: 'jc.mueller' },
      requestedAt: new Date().toISOString(),
      inquiry: { subject: SUBJECT, questions: ['employment-permitted', 'document-validity'] },
      answerWithin,
      recheckBefore: '28 days',
      ...extra,
    };
  }

  async function start(
    caseRef: string,
    answerWithin?: Duration,
    extra: Partial<StatusClarificationInput> = {},
  ): Promise<WorkflowHandle<typeof statusClarification>> {
    return client.workflow.start(statusClarification, {
      workflowId: `status-clarification:${caseRef}`,
      taskQueue: 'immigration',
      args: [input(caseRef, answerWithin, extra)],
    });
  }

  async function waitForStage(handle: WorkflowHandle, stage: string) {
    return eventually(async () => {
      const state = await handle.query(statusClarificationState);
      return state.stage === stage ? state : undefined;
    }, 20000, `stage ${stage}`);
  }

  async function searchAttributes(handle: WorkflowHandle) {
    return (await handle.describe()).typedSearchAttributes;
  }

  function decision(caseRef: string, overrides: Partial<StatusInquiryDecision> = {}): StatusInquiryDecision {
    return {
      taskId: domains.taskIds.get(caseRef) ?? 'no task opened yet',
      answeredBy: { domain: 'immigration', caseworkerId: 'abh.schmidt' },
      answer: EXPIRING,
      ...overrides,
    };
  }

  /** The refusal type of an Update, or 'accepted'. */
  function outcomeOf(update: Promise<unknown>): Promise<string | undefined> {
    return update.then(
      () => 'accepted',
      (error: unknown) => (error instanceof WorkflowUpdateFailedError ? (error.cause as { type?: string }).type : `other: ${error}`),
    );
  }

  it('asks the immigration office, takes its answer, delivers it to the job centre and leaves a re-check task', async () => {
    domains = fakeDomains();
    const caseRef = newCaseRef();
    await withDomains(async () => {
      const handle = await start(caseRef);
      const waiting = await waitForStage(handle, 'ABH_ASKED');
      expect(waiting).toMatchObject({ waitingOn: 'immigration', stuck: false, escalationLevel: 0 });
      const attributes = await eventually(async () => {
        const found = await searchAttributes(handle);
        return found.get(HandoffStage) === 'ABH_ASKED' ? found : undefined;
      });
      expect(attributes.get(WaitingOn)).toBe('immigration');
      expect(attributes.get(Stuck)).toBe(false);
      expect(attributes.get(DueAt)?.toISOString()).toBe(waiting.dueAt);

      const restricted = { ...EXPIRING, employmentRestriction: 'only with employer Ruhr Logistik GmbH' };
      const accepted = await handle.executeUpdate(answerStatusInquiry, { args: [decision(caseRef, { answer: restricted })] });
      expect(accepted).toMatchObject({ outcome: 'CLEARED_WITH_RESTRICTION', answeredFrom: 'caseworker' });
      expect(await handle.result()).toMatchObject({ caseRef, outcome: 'CLEARED_WITH_RESTRICTION', answeredBy: { caseworkerId: 'abh.schmidt' } });

      const closed = await searchAttributes(handle);
      expect(closed.get(HandoffStage)).toBe('CLOSED');
      expect(closed.get(WaitingOn)).toBeUndefined();
    });

    expect(domains.calls.map((c) => `${c.queue}:${c.activity}`)).toEqual([
      'job-centre:recordTransfer',
      'immigration:recordTransfer',
      'immigration:openInboxTask',
      'immigration:recordTransfer',
      'job-centre:deliverStatusAnswer',
      'immigration:closeInboxTask',
      'job-centre:openInboxTask',
    ]);
    const [inquirySent, inquiryReceived] = domains.calls.map((c) => c.input);
    expect(inquirySent).toMatchObject({ direction: 'sent', counterpart: 'immigration', legalBasis: '§ 69 Abs. 1 Nr. 1 SGB X' });
    expect(inquiryReceived).toMatchObject({ direction: 'received', counterpart: 'job-centre', flowId: inquirySent.flowId });
    expect(inquirySent.fieldNames).toEqual(['questions', 'subject.azrNumber', 'subject.dateOfBirth', 'subject.familyName', 'subject.givenNames']);
    expect(domains.calls[4].input.receivedTransfer).toMatchObject({ direction: 'received', counterpart: 'immigration' });
    expect(domains.calls[6].input).toMatchObject({ kind: 'status-recheck', details: { validUntil: EXPIRING.validUntil } });
  });

  it('answers from a current register record without a caseworker when it clears the person', async () => {
    domains = fakeDomains({ onRecord: EXPIRING });
    const caseRef = newCaseRef();
    await withDomains(async () => {
      const handle = await start(caseRef);
      expect(await handle.result()).toMatchObject({ outcome: 'CLEARED', answeredFrom: 'register', answeredBy: { caseworkerId: 'register' } });
    });
    expect(domains.calls.filter((c) => c.activity === 'openInboxTask').map((c) => c.input.kind)).toEqual(['status-recheck']);
  });

  it('leaves a refusing register record to a caseworker: adverse answers come from a person', async () => {
    domains = fakeDomains({ onRecord: { ...EXPIRING, employmentPermission: 'PROHIBITED' } });
    const caseRef = newCaseRef();
    await withDomains(async () => {
      const handle = await start(caseRef);
      await waitForStage(handle, 'ABH_ASKED');
      await handle.executeUpdate(answerStatusInquiry, { args: [decision(caseRef, { answer: { ...EXPIRING, employmentPermission: 'PROHIBITED' } })] });
      expect(await handle.result()).toMatchObject({ outcome: 'BLOCKED', answeredFrom: 'caseworker' });
    });
  });

  it('refuses an answer from another domain, for another task or inconsistent in itself, and accepts only one answer', async () => {
    let openGate!: () => void;
    domains = fakeDomains({ deliveryGate: new Promise<void>((resolve) => (openGate = resolve)) });
    const caseRef = newCaseRef();
    await withDomains(async () => {
      const handle = await start(caseRef);
      await waitForStage(handle, 'ABH_ASKED');
      const answer = (d: StatusInquiryDecision) => outcomeOf(handle.executeUpdate(answerStatusInquiry, { args: [d] }));
      expect(await answer(decision(caseRef, { answeredBy: { domain: 'job-centre', caseworkerId: 'jc.mueller' } }))).toBe('WrongDomain');
      expect(await answer(decision(caseRef, { taskId: 'task-someone-else' }))).toBe('NotAwaitingAnswer');
      expect(await answer(decision(caseRef, { answer: { ...EXPIRING, validUntil: '2020-01-01' } }))).toBe('InvalidAnswer');
      expect((await handle.query(statusClarificationState)).answer).toBeNull();

      expect(await answer(decision(caseRef))).toBe('accepted');
      expect(await answer(decision(caseRef, { answeredBy: { domain: 'immigration', caseworkerId: 'abh.other' } }))).toBe('AlreadyAnswered');
      const withdrawal = { withdrawnBy: { domain: 'job-centre' as const, caseworkerId: 'jc.mueller' }, reason: 'Placement cancelled' };
      expect(await outcomeOf(handle.executeUpdate(withdrawStatusClarification, { args: [withdrawal] }))).toBe('AlreadyAnswered');
      openGate();
      expect(await handle.result()).toMatchObject({ answeredBy: { caseworkerId: 'abh.schmidt' } });
    });
    expect(domains.calls.filter((c) => c.activity === 'deliverStatusAnswer')).toHaveLength(1);
  });

  it('accepts an answer that arrives while the workflow is still recording the inbox task', async () => {
    let openGate!: () => void;
    domains = fakeDomains({ inboxGate: new Promise<void>((resolve) => (openGate = resolve)) });
    const caseRef = newCaseRef();
    await withDomains(async () => {
      const handle = await start(caseRef);
      await eventually(async () => domains.taskIds.get(caseRef));
      expect((await handle.query(statusClarificationState)).stage).toBe('REQUESTED');
      expect((await handle.executeUpdate(answerStatusInquiry, { args: [decision(caseRef)] })).outcome).toBe('CLEARED');
      openGate();
      expect(await handle.result()).toMatchObject({ outcome: 'CLEARED' });
    });
  });

  it('lets the job centre withdraw an unanswered inquiry with a reason, closing the immigration task', async () => {
    domains = fakeDomains();
    const caseRef = newCaseRef();
    await withDomains(async () => {
      const handle = await start(caseRef);
      await waitForStage(handle, 'ABH_ASKED');
      const withdraw = (withdrawnBy: { domain: any; caseworkerId: string }, reason: string) =>
        outcomeOf(handle.executeUpdate(withdrawStatusClarification, { args: [{ withdrawnBy, reason }] }));
      expect(await withdraw({ domain: 'immigration', caseworkerId: 'abh.schmidt' }, 'Not ours')).toBe('WrongDomain');
      expect(await withdraw({ domain: 'job-centre', caseworkerId: 'jc.mueller' }, '')).toBe('InvalidWithdrawal');
      expect(await withdraw({ domain: 'job-centre', caseworkerId: 'jc.mueller' }, 'Placement cancelled by the employer')).toBe('accepted');
      expect(await outcomeOf(handle.executeUpdate(answerStatusInquiry, { args: [decision(caseRef)] }))).toBe('Withdrawn');
      expect(await handle.result()).toMatchObject({ outcome: 'WITHDRAWN', withdrawal: { reason: 'Placement cancelled by the employer' } });
      expect((await searchAttributes(handle)).get(HandoffStage)).toBe('WITHDRAWN');
    });
    expect(domains.calls.find((c) => c.activity === 'closeInboxTask')?.input).toMatchObject({ kind: 'status-inquiry', state: 'withdrawn' });
    expect(domains.calls.some((c) => c.activity === 'deliverStatusAnswer')).toBe(false);
  });

  it('marks the handoff stuck and escalates with a task for the team lead when the deadline passes, and clears it once answered', async () => {
    domains = fakeDomains();
    const caseRef = newCaseRef();
    await withDomains(async () => {
      const handle = await start(caseRef, '2 seconds');
      const stuck = await eventually(async () => {
        const attributes = await searchAttributes(handle);
        return attributes.get(Stuck) === true ? attributes : undefined;
      });
      expect(stuck.get(StuckReason)).toBe('deadline-passed');
      expect(stuck.get(EscalationLevel)).toBeGreaterThanOrEqual(1);

      await handle.executeUpdate(answerStatusInquiry, { args: [decision(caseRef)] });
      await handle.result();
      const cleared = await searchAttributes(handle);
      expect(cleared.get(Stuck)).toBe(false);
      expect(cleared.get(StuckReason)).toBeUndefined();
      expect(cleared.get(HandoffStage)).toBe('CLOSED');
    });
    const escalation = domains.calls.find((c) => c.activity === 'openInboxTask' && c.input.kind === 'status-inquiry-escalation-1');
    expect(escalation?.input).toMatchObject({ details: { escalatedTo: 'team lead', level: 1 } });
    const closedKinds = domains.calls.filter((c) => c.activity === 'closeInboxTask').map((c) => c.input.kind);
    expect(closedKinds).toEqual(expect.arrayContaining(['status-inquiry', 'status-inquiry-escalation-1']));
  });

  it('escalates up to the head of department and no further: the handoff stays stuck at the top until answered', async () => {
    domains = fakeDomains();
    const caseRef = newCaseRef();
    await withDomains(async () => {
      const handle = await start(caseRef, '1 second');
      await eventually(async () => ((await searchAttributes(handle)).get(EscalationLevel) === 2 ? true : undefined), 20000, 'level 2');
      // Three more steps' time: no level 3, no third escalation task.
      await new Promise((resolve) => setTimeout(resolve, 3500));
      const top = await searchAttributes(handle);
      expect([top.get(Stuck), top.get(StuckReason), top.get(EscalationLevel)]).toEqual([true, 'deadline-passed', 2]);
      const state = await handle.query(statusClarificationState);
      expect(state.escalationLevel).toBe(2);
      const { currentDetails } = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
      expect(currentDetails).toContain('escalated to the head of department (level 2)');

      await handle.executeUpdate(answerStatusInquiry, { args: [decision(caseRef)] });
      await handle.result();
    });
    const escalations = domains.calls.filter((c) => c.activity === 'openInboxTask' && /escalation/.test(c.input.kind)).map((c) => c.input.kind);
    expect(escalations).toEqual(['status-inquiry-escalation-1', 'status-inquiry-escalation-2']);
  });

  it('lets the immigration office extend, suspend and resume its deadline with a reason, and nobody else', async () => {
    domains = fakeDomains();
    const caseRef = newCaseRef();
    await withDomains(async () => {
      const handle = await start(caseRef, '1 hour');
      const before = await waitForStage(handle, 'ABH_ASKED');
      const change = (request: DeadlineChangeRequest) => handle.executeUpdate(changeDeadline, { args: [request] });
      const lead = { domain: 'immigration' as const, caseworkerId: 'abh.lead' };

      expect(await outcomeOf(change({ action: 'extend', by: { domain: 'job-centre', caseworkerId: 'jc.mueller' }, reason: 'Please', extendBy: '1 day' }))).toBe('WrongDomain');
      expect(await outcomeOf(change({ action: 'extend', by: lead, reason: '', extendBy: '1 day' }))).toBe('InvalidDeadlineChange');
      expect(await outcomeOf(change({ action: 'resume', by: lead, reason: 'Nothing to resume' }))).toBe('InvalidDeadlineChange');

      const extended = await change({ action: 'extend', by: lead, reason: 'Waiting for the embassy', extendBy: '1 day' });
      expect(Date.parse(extended.dueAt!) - Date.parse(before.dueAt)).toBe(DAY_MS);
      const suspended = await change({ action: 'suspend', by: lead, reason: 'Court hearing pending' });
      expect(suspended).toMatchObject({ dueAt: null, suspended: true });
      expect(await eventually(async () => ((await searchAttributes(handle)).get(DueAt) === undefined ? true : undefined))).toBe(true);
      const resumed = await change({ action: 'resume', by: lead, reason: 'Hearing done' });
      expect(resumed.suspended).toBe(false);
      expect(resumed.changes.map((c) => c.action)).toEqual(['extend', 'suspend', 'resume']);
      expect(resumed.changes[0]).toMatchObject({ by: lead, reason: 'Waiting for the embassy' });

      await handle.executeUpdate(answerStatusInquiry, { args: [decision(caseRef)] });
      await handle.result();
      expect(await outcomeOf(change({ action: 'suspend', by: lead, reason: 'Too late' }))).not.toBe('accepted');
    });
  });

  it('keeps a long-valid answer scheduled for its re-check until shortly before it expires', async () => {
    domains = fakeDomains();
    const caseRef = newCaseRef();
    await withDomains(async () => {
      const handle = await start(caseRef);
      await waitForStage(handle, 'ABH_ASKED');
      await handle.executeUpdate(answerStatusInquiry, { args: [decision(caseRef, { answer: ANSWER_ALLOWED })] });
      const scheduled = await waitForStage(handle, 'RECHECK_SCHEDULED');
      expect(scheduled.waitingOn).toBeNull();
      const expectedRecheck = Date.parse(`${ANSWER_ALLOWED.validUntil}T00:00:00Z`) - 28 * DAY_MS;
      expect(Date.parse(scheduled.dueAt)).toBe(expectedRecheck);
      await handle.terminate('test over');
    });
    expect(domains.calls.some((c) => c.input?.kind === 'status-recheck')).toBe(false);
  });

  describe("the employment agency's consent (§ 39 AufenthG; deemed given after two weeks, § 36 Abs. 2 BeschV)", () => {
    const JOB = { employer: 'Ruhr Logistik GmbH', occupation: 'Warehouse operative', hoursPerWeek: 39, grossMonthlyWage: 2850, startDate: '2026-01-15' };
    const WITH_JOB: StatusInquiry = { subject: SUBJECT, questions: ['employment-permitted'], plannedEmployment: JOB };
    const NEEDS_CONSENT: StatusAnswer = { ...EXPIRING, legalBasis: '§ 19c Abs. 1 AufenthG', employmentPermission: 'NEEDS_PERMISSION', agencyConsent: 'required' };

    async function answeredNeedingConsent(caseRef: string, agencyConsentWithin: Duration = '1 hour') {
      const handle = await start(caseRef, '1 hour', { inquiry: WITH_JOB, agencyConsentWithin });
      await waitForStage(handle, 'ABH_ASKED');
      const accepted = await handle.executeUpdate(answerStatusInquiry, { args: [decision(caseRef, { answer: NEEDS_CONSENT })] });
      expect(accepted.outcome).toBe('PENDING_PERMISSION');
      const pending = await waitForStage(handle, 'BA_CONSENT_PENDING');
      await eventually(async () => (domains.consentRequests.length > 0 ? true : undefined));
      return { handle, pending };
    }

    it('asks the agency through the gateway, logs the request on both sides, and clears the person on consent', async () => {
      domains = fakeDomains();
      const caseRef = newCaseRef();
      await withDomains(async () => {
        const before = Date.now();
        const { handle, pending } = await answeredNeedingConsent(caseRef);
        expect(pending).toMatchObject({ waitingOn: 'employment-agency-gateway', outcome: 'PENDING_PERMISSION' });
        const attributes = await eventually(async () => {
          const found = await searchAttributes(handle);
          return found.get(HandoffStage) === 'BA_CONSENT_PENDING' && found.get(WaitingOn) === 'employment-agency-gateway' ? found : undefined;
        });
        const dueAt = attributes.get(DueAt)!.getTime();
        expect(dueAt - before).toBeGreaterThanOrEqual(3600 * 1000);
        expect(dueAt - Date.now()).toBeLessThanOrEqual(3600 * 1000);

        const [submission] = domains.consentRequests;
        expect(submission.request).toMatchObject({ caseRef, plannedEmployment: JOB, residenceDocument: 'residence-permit', legalBasis: '§ 19c Abs. 1 AufenthG' });
        expect(submission.receivedTransfer).toMatchObject({ direction: 'received', counterpart: 'immigration', flowId: 'P1-ABH-AA-CONSENT-REQUEST' });
        expect(submission.receivedTransfer.fieldNames).toEqual(expect.arrayContaining(['plannedEmployment.employer', 'plannedEmployment.grossMonthlyWage', 'subject.familyName']));

        // A stray answer to another request changes nothing; the agency's answer does.
        await handle.signal(agencyConsentAnswered, { consentRequestId: 'someone-else', outcome: 'OBJECTION', objectionReason: 'priority-check-failed', decidedBy: 'ba.other', decidedAt: new Date().toISOString() });
        await handle.signal(agencyConsentAnswered, { consentRequestId: submission.request.consentRequestId, outcome: 'CONSENT', decidedBy: 'ba.meier', decidedAt: new Date().toISOString() });
        const result = await handle.result();
        expect(result).toMatchObject({ outcome: 'CLEARED', answer: { agencyConsent: 'given', agencyDecision: { decidedBy: 'ba.meier' } } });
      });
      const sentToGateway = domains.calls.find((c) => c.activity === 'recordTransfer' && c.input.flowId === 'P1-ABH-AA-CONSENT-REQUEST');
      expect(sentToGateway?.queue).toBe('immigration');
      expect(sentToGateway?.input).toMatchObject({
        direction: 'sent',
        counterpart: 'employment-agency-gateway',
        legalBasis: '§ 39 AufenthG; § 36 Abs. 2 BeschV',
      });
      expect(domains.calls.find((c) => c.activity === 'recordTransfer')?.input.fieldNames).toEqual(
        expect.arrayContaining(['plannedEmployment.employer', 'plannedEmployment.hoursPerWeek', 'plannedEmployment.startDate']),
      );
      const delivered = domains.calls.find((c) => c.activity === 'deliverStatusAnswer')?.input;
      expect(delivered).toMatchObject({ outcome: 'CLEARED', answer: { employmentPermission: 'NEEDS_PERMISSION', agencyConsent: 'given' } });
      const order = domains.calls.map((c) => `${c.queue}:${c.activity}`);
      expect(order.indexOf('immigration:closeInboxTask')).toBeLessThan(order.indexOf('employment-agency-gateway:requestAgencyConsent'));
      expect(order.filter((c) => c === 'immigration:closeInboxTask')).toHaveLength(1);
    });

    it("blocks on the agency's objection, keeping its reason and who decided", async () => {
      domains = fakeDomains();
      const caseRef = newCaseRef();
      await withDomains(async () => {
        const { handle } = await answeredNeedingConsent(caseRef);
        const withdrawal = { withdrawnBy: { domain: 'job-centre' as const, caseworkerId: 'jc.mueller' }, reason: 'Placement cancelled' };
        expect(await outcomeOf(handle.executeUpdate(withdrawStatusClarification, { args: [withdrawal] }))).toBe('AlreadyAnswered');
        const [submission] = domains.consentRequests;
        await handle.signal(agencyConsentAnswered, {
          consentRequestId: submission.request.consentRequestId,
          outcome: 'OBJECTION',
          objectionReason: 'wage-below-comparable-workers',
          decidedBy: 'ba.meier',
          decidedAt: new Date().toISOString(),
        });
        expect(await handle.result()).toMatchObject({
          outcome: 'BLOCKED',
          answer: { agencyConsent: 'objected', agencyDecision: { decidedBy: 'ba.meier', objectionReason: 'wage-below-comparable-workers' } },
        });
      });
      expect(domains.calls.find((c) => c.activity === 'deliverStatusAnswer')?.input).toMatchObject({ outcome: 'BLOCKED', answer: { agencyConsent: 'objected' } });
    });

    it('deems the consent given when the agency does not object in time', async () => {
      domains = fakeDomains();
      const caseRef = newCaseRef();
      await withDomains(async () => {
        const { handle } = await answeredNeedingConsent(caseRef, '2 seconds');
        expect(await handle.result()).toMatchObject({ outcome: 'CLEARED', answer: { agencyConsent: 'deemed', agencyDecision: { decidedBy: null } } });
        // A late answer finds the workflow closed; the recorded outcome stays.
      });
      expect(domains.calls.find((c) => c.activity === 'deliverStatusAnswer')?.input).toMatchObject({ outcome: 'CLEARED', answer: { agencyConsent: 'deemed' } });
    });

    it('refuses a consent requirement without NEEDS_PERMISSION or without a planned employment, and consent given by the immigration office', async () => {
      domains = fakeDomains();
      const withJob = newCaseRef();
      const withoutJob = newCaseRef();
      await withDomains(async () => {
        const handle = await start(withJob, '1 hour', { inquiry: WITH_JOB });
        const bare = await start(withoutJob);
        await Promise.all([waitForStage(handle, 'ABH_ASKED'), waitForStage(bare, 'ABH_ASKED')]);
        const answer = (h: WorkflowHandle, d: StatusInquiryDecision) =>
          h.executeUpdate(answerStatusInquiry, { args: [d] }).then(
            () => 'accepted',
            (error: unknown) => (error instanceof WorkflowUpdateFailedError ? String((error.cause as Error).message) : `other: ${error}`),
          );
        expect(await answer(handle, decision(withJob, { answer: { ...NEEDS_CONSENT, employmentPermission: 'ALLOWED' } }))).toMatch(/only required when employmentPermission is NEEDS_PERMISSION/);
        expect(await answer(handle, decision(withJob, { answer: { ...NEEDS_CONSENT, agencyConsent: 'given' } }))).toMatch(/the employment agency gives or refuses it/);
        expect(await answer(bare, decision(withoutJob, { answer: NEEDS_CONSENT }))).toMatch(/inquiry names the planned employment/);
        expect((await handle.query(statusClarificationState)).answer).toBeNull();
        await Promise.all([handle.terminate('test over'), bare.terminate('test over')]);
      });
      expect(domains.consentRequests).toHaveLength(0);
    });
  });

  it('answers STATUS_CHANGE and gives social services a task to start the legal-domain transfer, logging the notice', async () => {
    domains = fakeDomains();
    const caseRef = newCaseRef();
    await withDomains(async () => {
      const handle = await start(caseRef);
      await waitForStage(handle, 'ABH_ASKED');
      const recognised = { ...EXPIRING, statusChange: { kind: 'refugee-status' as const, servedOn: inDays(-3) } };
      const accepted = await handle.executeUpdate(answerStatusInquiry, { args: [decision(caseRef, { answer: recognised })] });
      expect(accepted.outcome).toBe('STATUS_CHANGE');
      expect(await handle.result()).toMatchObject({ outcome: 'STATUS_CHANGE' });
    });
    const notice = domains.calls.find((c) => c.queue === 'social-services' && c.activity === 'openInboxTask');
    expect(notice?.input).toMatchObject({
      kind: 'status-change-notice',
      details: { recognition: { kind: 'refugee-status' } },
      receivedTransfer: { flowId: 'P1-ABH-SA-STATUS-CHANGE', direction: 'received', counterpart: 'immigration' },
    });
    expect(domains.calls.some((c) => c.queue === 'immigration' && c.input?.flowId === 'P1-ABH-SA-STATUS-CHANGE')).toBe(true);
    expect(domains.calls.find((c) => c.activity === 'deliverStatusAnswer')?.input.outcome).toBe('STATUS_CHANGE');
  });
});
