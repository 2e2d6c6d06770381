import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import {
  AGENCY_UNREACHABLE,
  HandoffStage,
  Stuck,
  TRANSFER_FLOWS,
  StuckReason,
  WaitingOn,
  type AgencyConsentGatewayActivities,
  type HandoffRecordActivities,
  type ImmigrationRegisterActivities,
  type JobCentreStatusActivities,
  type StatusAnswer,
  type StatusClarificationInput,
  type StepPolicy,
  type StuckReasonCode,
} from '@handoffs/contracts';
import { ANSWER_ALLOWED, SUBJECT, createWorkflowTestEnvironment, eventually, newCaseRef, type WorkflowTestEnvironment } from '@handoffs/testing';
import { answerStatusInquiry, statusClarificationState } from '@handoffs/workflows/messages';
import { statusClarification } from '../status-clarification/workflow';

const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);
/** Valid for a week: the re-check is due at once, so the workflow ends after delivering the answer. */
const EXPIRING: StatusAnswer = { ...ANSWER_ALLOWED, validUntil: inDays(7) };
/** Short bounds, so that a step counts as stuck within seconds. */
const STEPS: StepPolicy = { pickupWithin: '1 second', failingAfterAttempts: 2 };

/**
 * The stuck reasons a step itself causes, each set and cleared on the real Temporal server: a domain
 * whose worker is down, a step that keeps failing, an agency that cannot be reached. The status
 * clarification stands for every process: they all run their steps through workflows/shared/steps.ts.
 */
describe('stuck steps', () => {
  let environment: WorkflowTestEnvironment;

  beforeAll(async () => {
    environment = await createWorkflowTestEnvironment('stuck-steps');
  });

  afterAll(() => environment?.close());

  /** Every write the fakes take, so that a test can tell the step got through. */
  const written: string[] = [];
  const records: HandoffRecordActivities = {
    async openInboxTask(task) {
      written.push(`task ${task.kind}`);
      return { taskId: task.taskId };
    },
    async closeInboxTask(close) {
      written.push(`closed ${close.kind}`);
    },
    async recordTransfer(entry) {
      written.push(`${entry.direction} ${entry.flowId}`);
    },
  };
  const deliverStatusAnswer = async () => {
    written.push('answer delivered');
  };

  function worker(taskQueue: string, activities: object, hostsWorkflows = false): Promise<Worker> {
    const { workerConnection: connection, namespace, workflowBundle, dataConverter } = environment;
    return Worker.create({ connection, namespace, taskQueue, activities, dataConverter, ...(hostsWorkflows ? { workflowBundle } : {}) });
  }

  function start(caseRef: string, extra: Partial<StatusClarificationInput> = {}) {
    const input: StatusClarificationInput = {
      caseRef,
      requestedBy: { domain: 'job-centre', caseworkerId: 'jc.mueller' },
      requestedAt: new Date().toISOString(),
      inquiry: { subject: SUBJECT, questions: ['employment-permitted'] },
      answerWithin: '1 hour',
      recheckBefore: '28 days',
      steps: STEPS,
      ...extra,
    };
    return environment.client.workflow.start(statusClarification, {
      workflowId: `status-clarification:${caseRef}`,
      taskQueue: 'immigration',
      args: [input],
    });
  }

  const register = (onRecord: StatusAnswer | null): ImmigrationRegisterActivities => ({
    async findCurrentStatus() {
      return onRecord;
    },
  });

  /** What a supervisor sees: the search attributes and the current details. */
  async function seen(handle: WorkflowHandle) {
    const attributes = (await handle.describe()).typedSearchAttributes;
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    return {
      stuck: attributes.get(Stuck),
      reason: attributes.get(StuckReason) as StuckReasonCode | undefined,
      waitingOn: attributes.get(WaitingOn),
      stage: attributes.get(HandoffStage),
      details: metadata.currentDetails ?? '',
    };
  }

  function until(handle: WorkflowHandle, holds: (view: Awaited<ReturnType<typeof seen>>) => boolean, what: string) {
    return eventually(async () => {
      const view = await seen(handle);
      return holds(view) ? view : undefined;
    }, 30000, what);
  }

  /** The plain-words summaries of the activities the workflow scheduled, from its history (decrypted, as the codec server would). */
  async function activitySummaries(handle: WorkflowHandle): Promise<string[]> {
    const history = await handle.fetchHistory();
    const encrypted = (history.events ?? []).flatMap((event) =>
      event.activityTaskScheduledEventAttributes && event.userMetadata?.summary ? [event.userMetadata.summary] : [],
    );
    const codecs = environment.dataConverter.payloadCodecs ?? [];
    let payloads = encrypted as Payload[];
    for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
    return payloads.map((payload) => defaultPayloadConverter.fromPayload<string>(payload));
  }

  it("is domain-unavailable while the job centre's worker is down, and clears when it comes back", async () => {
    const caseRef = newCaseRef();
    const immigration = await worker('immigration', { ...records, ...register(null) }, true);
    const socialServices = await worker('social-services', records);
    await immigration.runUntil(
      socialServices.runUntil(async () => {
        const handle = await start(caseRef);
        const stuck = await until(handle, (v) => v.reason === 'domain-unavailable', 'domain-unavailable');
        expect(stuck).toMatchObject({ stuck: true, waitingOn: 'job-centre', stage: 'REQUESTED' });
        expect(stuck.details).toContain('job centre (Jobcenter, SGB II) has not picked up');
        expect(stuck.details).toContain('Before that:');

        const jobCentre = await worker('job-centre', { ...records, deliverStatusAnswer });
        await jobCentre.runUntil(async () => {
          const moving = await until(handle, (v) => v.stage === 'ABH_ASKED', 'the inquiry with the immigration office');
          expect(moving).toMatchObject({ stuck: false, reason: undefined, waitingOn: 'immigration' });
          expect(moving.details).toMatch(/^Waiting on the immigration office/);
          expect(written).toEqual(expect.arrayContaining(['sent P1-JC-ABH-INQUIRY', 'received P1-JC-ABH-INQUIRY', 'task status-inquiry']));
          await handle.terminate('test over');
        });
        expect(await activitySummaries(handle)).toEqual(
          expect.arrayContaining([
            `job centre (Jobcenter, SGB II): log the sent transfer "P1-JC-ABH-INQUIRY" (${TRANSFER_FLOWS.statusInquiry.legalBasis})`,
            'immigration office (Ausländerbehörde): look up the residence register for a current status',
            'immigration office (Ausländerbehörde): open a "status-inquiry" task in its inbox',
          ]),
        );
      }),
    );
  });

  it('is step-failing while a step keeps failing, and clears when it gets through', async () => {
    const caseRef = newCaseRef();
    let failing = true;
    let attempts = 0;
    const jobCentre: JobCentreStatusActivities = {
      async deliverStatusAnswer() {
        attempts += 1;
        if (failing) throw new Error('the case file is locked by another process');
      },
    };
    const workers = await Promise.all([
      worker('immigration', { ...records, ...register(EXPIRING) }, true),
      worker('job-centre', { ...records, ...jobCentre }),
      worker('social-services', records),
    ]);
    await workers[0].runUntil(
      workers[1].runUntil(
        workers[2].runUntil(async () => {
          const handle = await start(caseRef);
          const stuck = await until(handle, (v) => v.reason === 'step-failing', 'step-failing');
          expect(stuck).toMatchObject({ stuck: true, waitingOn: 'job-centre', stage: 'ANSWERED' });
          expect(stuck.details).toContain('"record the answer (CLEARED) in the job centre\'s case" at the job centre (Jobcenter, SGB II) keeps failing');
          expect(stuck.details).toContain('2 attempts, last failure: Error');
          expect(stuck.details).not.toContain('locked');

          failing = false;
          expect(await handle.result()).toMatchObject({ outcome: 'CLEARED' });
          const closed = (await handle.describe()).typedSearchAttributes;
          expect(closed.get(Stuck)).toBe(false);
          expect(closed.get(StuckReason)).toBeUndefined();
          expect(closed.get(HandoffStage)).toBe('CLOSED');
          expect(attempts).toBeGreaterThan(2);
        }),
      ),
    );
  });

  it("is external-silent while the agency's system cannot be reached, and clears when it takes the request", async () => {
    const caseRef = newCaseRef();
    let unreachable = true;
    const gateway: AgencyConsentGatewayActivities = {
      async requestAgencyConsent(submission) {
        if (unreachable) throw ApplicationFailure.retryable('connect ECONNREFUSED', AGENCY_UNREACHABLE);
        return { consentRequestId: submission.request.consentRequestId, receivedAt: new Date().toISOString() };
      },
    };
    let taskId = '';
    const immigrationRecords: HandoffRecordActivities = {
      ...records,
      async openInboxTask(task) {
        taskId = task.taskId;
        return { taskId: task.taskId };
      },
    };
    const workers = await Promise.all([
      worker('immigration', { ...immigrationRecords, ...register(null) }, true),
      worker('job-centre', { ...records, deliverStatusAnswer }),
      worker('social-services', records),
      worker('employment-agency-gateway', gateway),
    ]);
    const job = { employer: 'Ruhr Logistik GmbH', occupation: 'Warehouse operative', hoursPerWeek: 39, grossMonthlyWage: 2850, startDate: '2026-01-15' };
    const needsConsent: StatusAnswer = { ...EXPIRING, legalBasis: '§ 19c Abs. 1 AufenthG', employmentPermission: 'NEEDS_PERMISSION', agencyConsent: 'required' };
    await workers[0].runUntil(
      workers[1].runUntil(
        workers[2].runUntil(
          workers[3].runUntil(async () => {
            const handle = await start(caseRef, { inquiry: { subject: SUBJECT, questions: ['employment-permitted'], plannedEmployment: job } });
            await eventually(async () => ((await handle.query(statusClarificationState)).stage === 'ABH_ASKED' && taskId ? true : undefined));
            await handle.executeUpdate(answerStatusInquiry, {
              args: [{ taskId, answeredBy: { domain: 'immigration', caseworkerId: 'abh.schmidt' }, answer: needsConsent }],
            });
            const silent = await until(handle, (v) => v.reason === 'external-silent', 'external-silent');
            expect(silent).toMatchObject({ stuck: true, waitingOn: 'employment-agency-gateway', stage: 'BA_CONSENT_PENDING' });
            expect(silent.details).toContain("employment agency (Agentur für Arbeit, SGB III)'s system does not answer");

            unreachable = false;
            const cleared = await until(handle, (v) => v.stuck === false, 'cleared');
            expect(cleared).toMatchObject({ reason: undefined, waitingOn: 'employment-agency-gateway', stage: 'BA_CONSENT_PENDING' });
            expect(cleared.details).toMatch(/^Waiting on the employment agency/);
            await handle.terminate('test over');
          }),
        ),
      ),
    );
  });
});
