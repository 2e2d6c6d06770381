import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import type { AgencyGatewayActivities, HandoffRecordActivities, ReferralSubmission } from '@handoffs/contracts';
import { InboxTask, TransferLogEntry } from '@handoffs/handoff-records';
import { describeDomainServiceBasics, startInProcess, type InProcessService } from '@handoffs/service-kit/testing';
import { eventually, newCaseRef, testStack, testDataConverter } from '@handoffs/testing';
import { agencyAnswerReceived, agencyReferralState } from '@handoffs/workflows/messages';
import { AppModule } from '../app.module';
import { createAgencyReferralActivities } from './agency-referral.activities';
import { AgencyReferralRecord } from './agency-referral.entity';

const SUBJECT = { baCustomerNumber: '123A456789', familyName: 'Haddad', givenNames: 'Rami Yusuf', dateOfBirth: '1991-03-14' };

/** The job centre's side of P3b in process; the gateway is a fake worker on its task queue. */
describe('job-centre: referral to the employment agency', () => {
  let service: InProcessService;
  let temporal: Client;
  let connection: Connection;
  let workerConnection: NativeConnection;
  let gateway: Worker;
  let gatewayRun: Promise<void>;
  const submissions: ReferralSubmission[] = [];

  beforeAll(async () => {
    service = await startInProcess('job-centre', (config) => AppModule.forRoot(config));
    connection = await Connection.connect({ address: testStack().temporalAddress });
    temporal = new Client({ connection, namespace: service.config.temporalNamespace, dataConverter: testDataConverter() });
    workerConnection = await NativeConnection.connect({ address: testStack().temporalAddress });
    const fakeGateway: AgencyGatewayActivities & HandoffRecordActivities = {
      async submitReferral(submission) {
        submissions.push(submission);
        return { referralId: submission.referral.referralId, round: submission.referral.round, receivedAt: new Date().toISOString() };
      },
      async recordTransfer() {
        // the gateway's transfer log is not under test here
      },
      async openInboxTask(task) {
        return { taskId: task.taskId };
      },
      async closeInboxTask() {
        // the gateway opens no tasks in P3b
      },
    };
    gateway = await Worker.create({
      connection: workerConnection,
      namespace: service.config.temporalNamespace,
      taskQueue: 'employment-agency-gateway',
      activities: fakeGateway,
      dataConverter: testDataConverter(),
    });
    gatewayRun = gateway.run();
  });

  afterAll(async () => {
    gateway?.shutdown();
    await gatewayRun;
    await service?.app.close();
    await workerConnection?.close();
    await connection?.close();
  });

  describeDomainServiceBasics(() => service);

  const request = (caseRef: string, extra: object = {}) => ({ caseRef, caseworkerId: 'jc.mueller', programme: 'competence-assessment', subject: SUBJECT, ...extra });
  const records = () => service.app.get(DataSource).getRepository(AgencyReferralRecord);

  async function sentRound(caseRef: string, round: number) {
    return eventually(async () => {
      const { body } = await service.request('GET', `/agency-referrals/${caseRef}`);
      return body.state === 'sent' && body.round === round ? body : undefined;
    });
  }

  it('records the referral and starts one handoff, hosted by the job centre, however often it is sent', async () => {
    const caseRef = newCaseRef();
    const first = await service.request('POST', '/agency-referrals', request(caseRef, { languageLevel: 'B1' }));
    const again = await service.request('POST', '/agency-referrals', request(caseRef, { languageLevel: 'B1' }));
    expect([first.status, again.status]).toEqual([202, 200]);
    expect(first.body).toMatchObject({ caseRef, handoffId: `agency-referral:${caseRef}`, programmeCarrier: 'job-centre' });
    expect(again.body.referralId).toBe(first.body.referralId);
    expect(await records().countBy({ caseRef })).toBe(1);
    const description = await temporal.workflow.getHandle(first.body.handoffId).describe();
    expect(description).toMatchObject({ status: { name: 'RUNNING' }, taskQueue: 'job-centre', type: 'agencyReferral' });

    // No status clarification on record: the agency learns that the work permission is not clarified.
    const sent = await sentRound(caseRef, 1);
    expect(sent.workPermission).toBe('NOT_CLARIFIED');
    await temporal.workflow.getHandle(first.body.handoffId).signal(agencyAnswerReceived, {
      referralId: first.body.referralId,
      round: 1,
      decision: { outcome: 'REFUSED', refusalReason: 'work-permission-not-cleared' },
      decidedAt: new Date().toISOString(),
    });
    const refused = await eventually(async () => {
      const { body } = await service.request('GET', `/agency-referrals/${caseRef}`);
      return body.state === 'refused' ? body : undefined;
    });
    expect(refused).toMatchObject({ outcome: 'REFUSED', refusalReason: 'work-permission-not-cleared', programmeCarrier: 'job-centre' });
    expect(await service.request('POST', '/agency-referrals', request(caseRef, { languageLevel: 'B1' }))).toMatchObject({ status: 200, body: { state: 'refused' } });
  });

  it('gives the caseworker a task when the agency asks for information, takes only a valid answer, and refers again', async () => {
    const caseRef = newCaseRef();
    const { body: started } = await service.request('POST', '/agency-referrals', request(caseRef));
    await sentRound(caseRef, 1);
    const handle = temporal.workflow.getHandle(started.handoffId);
    await handle.signal(agencyAnswerReceived, {
      referralId: started.referralId,
      round: 1,
      decision: { outcome: 'NEEDS_INFO', missing: ['languageLevel'] },
      decidedAt: new Date().toISOString(),
    });
    const task = await eventually(async () => {
      const { body } = await service.request('GET', '/inbox/tasks?kind=agency-information-request');
      return (body as { id: string; caseRef: string; details: object }[]).find((t) => t.caseRef === caseRef);
    });
    expect(task.details).toEqual({ programme: 'competence-assessment', referralId: started.referralId, round: 1, missing: ['languageLevel'] });
    expect((await service.request('GET', `/agency-referrals/${caseRef}`)).body).toMatchObject({ state: 'needs-info', missing: ['languageLevel'] });

    const url = `/inbox/tasks/${task.id}/agency-information`;
    const notWhatWasAsked = await service.request('POST', url, { caseworkerId: 'jc.mueller', information: {} });
    expect(notWhatWasAsked).toMatchObject({ status: 400, body: { refusal: 'InvalidInformation' } });
    expect(notWhatWasAsked.body.detail).toMatch(/languageLevel is what the agency asked for/);
    const badShape = await service.request('POST', url, { caseworkerId: 'Frau Müller', information: { languageLevel: 'fluent' }, note: 'x' });
    expect(badShape.status).toBe(400);
    expect(badShape.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['caseworkerId', 'information.languageLevel', 'note']);
    expect((await service.request('GET', `/inbox/tasks/${task.id}`)).body.state).toBe('open');
    expect((await handle.query(agencyReferralState)).stage).toBe('NEEDS_INFO');

    const supplied = await service.request('POST', url, { caseworkerId: 'jc.mueller', information: { languageLevel: 'B2' } });
    expect(supplied).toMatchObject({ status: 200, body: { taskId: task.id, caseRef, nextRound: 2 } });
    const twice = await service.request('POST', url, { caseworkerId: 'jc.other', information: { languageLevel: 'A1' } });
    expect(twice.status).toBe(409);
    expect(twice.body.recorded).toMatchObject({ state: 'completed', completedBy: { caseworkerId: 'jc.mueller' } });

    await sentRound(caseRef, 2);
    const resubmitted = submissions.find((s) => s.referral.caseRef === caseRef && s.referral.round === 2);
    expect(resubmitted?.referral.languageLevel).toBe('B2');
    await handle.signal(agencyAnswerReceived, { referralId: started.referralId, round: 2, decision: { outcome: 'ACCEPTED' }, decidedAt: new Date().toISOString() });
    expect((await handle.result()).outcome).toBe('ACCEPTED');
    expect((await service.request('GET', `/agency-referrals/${caseRef}`)).body).toMatchObject({
      state: 'accepted',
      outcome: 'ACCEPTED',
      round: 2,
      programmeCarrier: 'employment-agency',
    });
    const log = (await service.request('GET', `/transfer-log?caseRef=${caseRef}`)).body as { flowId: string; direction: string }[];
    expect(log.map((e) => `${e.direction} ${e.flowId}`).sort()).toEqual([
      'received P3B-AA-JC-DECISION',
      'received P3B-AA-JC-INFO-REQUEST',
      'sent P3B-JC-AA-INFORMATION',
      'sent P3B-JC-AA-REFERRAL',
    ]);
  });

  it('answers bad input with problem+json naming each field, and writes or starts nothing', async () => {
    const caseRef = newCaseRef();
    const invalid = await service.request('POST', '/agency-referrals', {
      ...request(caseRef),
      programme: 'yoga',
      languageLevel: 'fluent',
      subject: { ...SUBJECT, baCustomerNumber: '12345', dateOfBirth: '14.03.1991' },
      colour: 'blue',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.contentType).toContain('application/problem+json');
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'colour',
      'languageLevel',
      'programme',
      'subject.baCustomerNumber',
      'subject.dateOfBirth',
    ]);
    expect((await service.request('POST', '/agency-referrals', '{"caseRef": ')).status).toBe(400);
    const missing = await service.request('POST', '/agency-referrals', { caseRef });
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['caseworkerId', 'programme', 'subject']);
    expect(await records().countBy({ caseRef })).toBe(0);
    await expect(temporal.workflow.getHandle(`agency-referral:${caseRef}`).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);

    expect((await service.request('GET', `/agency-referrals/${newCaseRef()}`)).status).toBe(404);
    expect((await service.request('GET', '/agency-referrals/Haddad')).status).toBe(404);
    const unknownTask = await service.request('POST', '/inbox/tasks/2b7d4a52-7a43-4f7e-bb1c-2d0c1e9f3a11/agency-information', {
      caseworkerId: 'jc.mueller',
      information: { languageLevel: 'B1' },
    });
    expect(unknownTask).toMatchObject({ status: 404, body: { status: 404 } });
    expect((await service.request('POST', '/inbox/tasks/not-a-task/agency-information', { caseworkerId: 'jc.mueller', information: {} })).status).toBe(400);
  });

  it('refuses a different referral under a case reference in use (409), changing nothing', async () => {
    const caseRef = newCaseRef();
    expect((await service.request('POST', '/agency-referrals', request(caseRef))).status).toBe(202);
    const different = await service.request('POST', '/agency-referrals', request(caseRef, { programme: 'career-guidance' }));
    expect(different.status).toBe(409);
    expect(different.body.recorded).toMatchObject({ caseRef, programme: 'competence-assessment' });
    expect(await records().countBy({ caseRef })).toBe(1);
  });

  it('records each decision and its receipt once, however often the activity is retried', async () => {
    const caseRef = newCaseRef();
    const { body } = await service.request('POST', '/agency-referrals', request(caseRef));
    await sentRound(caseRef, 1);
    const activities = createAgencyReferralActivities(service.app.get(DataSource));
    const delivery = {
      workflowId: body.handoffId,
      caseRef,
      answer: { referralId: body.referralId, round: 1, decision: { outcome: 'ACCEPTED' as const }, decidedAt: new Date().toISOString() },
      receivedTransfer: {
        workflowId: body.handoffId,
        caseRef,
        process: 'agency-referral' as const,
        flowId: 'P3B-AA-JC-DECISION',
        direction: 'received' as const,
        counterpart: 'employment-agency-gateway' as const,
        legalBasis: '§ 50 Abs. 1 SGB II; § 89 Abs. 3 SGB X',
        purpose: 'Referral decision',
        fieldNames: ['outcome'],
        occurredAt: new Date().toISOString(),
      },
    };
    await Promise.all([activities.recordAgencyDecision(delivery), activities.recordAgencyDecision(delivery)]);
    await activities.recordAgencyReferralSent({ workflowId: body.handoffId, caseRef, round: 1, sentAt: new Date().toISOString() });
    expect(await records().findOneByOrFail({ caseRef })).toMatchObject({ state: 'accepted', decidedRound: 1, programmeCarrier: 'employment-agency' });
    expect(await service.app.get(DataSource).getRepository(TransferLogEntry).countBy({ caseRef, flowId: 'P3B-AA-JC-DECISION' })).toBe(1);
    expect(await service.app.get(DataSource).getRepository(InboxTask).countBy({ caseRef })).toBe(0);
  });
});
