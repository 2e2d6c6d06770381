import { randomUUID } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError, encodeToPayloads, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA } from '@handoffs/temporal';
import {
  ANSWER_ALLOWED,
  SUBJECT,
  eventually,
  newCaseRef,
  startCodecServer,
  startE2eStack,
  testDataConverter,
  testStack,
  type E2eStack,
  type TestCodecServer,
} from '@handoffs/testing';

/** What the privacy checks look for: the fixture's personal data, none of which may reach the server in plain text. */
const PERSONAL_DATA = [SUBJECT.familyName, SUBJECT.givenNames, SUBJECT.dateOfBirth, SUBJECT.azrNumber!];
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

/** The history exactly as the server stores it: fetched over gRPC, not decoded. */
async function rawHistory(stack: E2eStack, workflowId: string): Promise<temporal.api.history.v1.History> {
  const events: temporal.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await stack.temporal.workflowService.getWorkflowExecutionHistory({
      namespace: stack.temporal.options.namespace,
      execution: { workflowId },
      nextPageToken,
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return temporal.api.history.v1.History.create({ events });
}

function historyBytes(history: temporal.api.history.v1.History): Buffer {
  return Buffer.from(temporal.api.history.v1.History.encode(history).finish());
}

function isPayload(message: object): message is Payload {
  const { metadata } = message as Payload;
  return typeof metadata === 'object' && metadata !== null && Object.keys(metadata).length > 0 && Object.values(metadata).every((value) => value instanceof Uint8Array);
}

/** Every payload in a message, but those of search attributes (which stay readable by design). */
function payloadsIn(message: unknown, found: Payload[] = []): Payload[] {
  if (typeof message === 'object' && message !== null && isPayload(message)) {
    found.push(message);
  } else if (Array.isArray(message)) {
    for (const item of message) payloadsIn(item, found);
  } else if (typeof message === 'object' && message !== null && !(message instanceof Uint8Array)) {
    for (const [key, value] of Object.entries(message)) {
      if (key !== 'searchAttributes') payloadsIn(value, found);
    }
  }
  return found;
}

function expectNoPersonalData(bytes: Buffer): void {
  for (const value of PERSONAL_DATA) expect(bytes.includes(Buffer.from(value, 'utf8'))).toBe(false);
}

function statusRequest(caseRef: string) {
  return {
    caseRef,
    caseworkerId: 'jc.mueller',
    subject: SUBJECT,
    questions: ['employment-permitted', 'document-validity', 'residence-obligation'],
  };
}

async function inboxTaskFor(stack: E2eStack, caseRef: string): Promise<{ id: string }> {
  return eventually(async () => {
    const { body } = await stack.call('immigration', 'GET', '/inbox/tasks?kind=status-inquiry');
    return (body as { id: string; caseRef: string }[]).find((task) => task.caseRef === caseRef);
  }, 30000, `an inbox task for ${caseRef}`);
}

async function answered(stack: E2eStack, caseRef: string): Promise<{ outcome: string }> {
  return eventually(async () => {
    const { body } = await stack.call('job-centre', 'GET', `/status-clarifications/${caseRef}`);
    return body.state === 'answered' ? body : undefined;
  }, 30000, `the answer for ${caseRef} at the job centre`);
}

/**
 * Encrypted payloads end to end: the built services as processes on the real Temporal server, a
 * status clarification started through the job centre's HTTP API, and the history read back raw.
 */
describe('payload encryption across the services', () => {
  let stack: E2eStack;
  let codec: TestCodecServer;

  beforeAll(async () => {
    [stack, codec] = await Promise.all([startE2eStack('e2e-crypt'), startCodecServer()]);
  });

  afterAll(async () => {
    await Promise.all([stack?.close(), codec?.stop()]);
  });

  it('keeps personal data out of the history the server stores; the codec server decodes it for a supervisor', async () => {
    const caseRef = newCaseRef();
    expect((await stack.call('job-centre', 'POST', '/status-clarifications', statusRequest(caseRef))).status).toBe(202);
    const task = await inboxTaskFor(stack, caseRef);
    const answer = await stack.call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, { caseworkerId: 'abh.schmidt', answer: ANSWER_ALLOWED });
    expect(answer.status).toBe(200);
    await answered(stack, caseRef);

    const history = await rawHistory(stack, `status-clarification:${caseRef}`);
    expectNoPersonalData(historyBytes(history));
    const payloads = payloadsIn(history);
    expect(payloads.length).toBeGreaterThan(5);
    for (const payload of payloads) {
      expect(text(payload.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(text(payload.metadata?.[KEY_ID_METADATA])).toBe(testStack().payloadKeys.split(':')[0]);
    }

    const decoded = (await codec.decode(payloads, stack.temporal.options.namespace)).map((payload) => text(payload.data)).join('\n');
    for (const value of PERSONAL_DATA) expect(decoded).toContain(value);
  });

  it('encrypts memos', async () => {
    const workflowId = `memo-probe:${newCaseRef()}`;
    // No worker polls this queue: the workflow only needs to exist for the server to store its memo.
    const handle = await stack.temporal.workflow.start('memoProbe', { taskQueue: 'memo-probe', workflowId, memo: { subject: SUBJECT } });
    try {
      const raw = await stack.temporal.workflowService.describeWorkflowExecution({
        namespace: stack.temporal.options.namespace,
        execution: { workflowId },
      });
      const memo = raw.workflowExecutionInfo?.memo?.fields?.subject;
      expect(text(memo?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expectNoPersonalData(Buffer.from(temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(raw).finish()));
      expectNoPersonalData(historyBytes(await rawHistory(stack, workflowId)));
      expect((await handle.describe()).memo).toEqual({ subject: SUBJECT });
    } finally {
      await handle.terminate('memo probe done');
    }
  });

  it('encrypts the failure message of a refused Update on its way through the server', async () => {
    const caseRef = newCaseRef();
    await stack.call('job-centre', 'POST', '/status-clarifications', statusRequest(caseRef));
    const task = await inboxTaskFor(stack, caseRef);
    const inconsistent = { ...ANSWER_ALLOWED, validFrom: '2028-01-01', validUntil: '2027-01-01' };

    // Through the API, the immigration service decodes the refusal for its caseworker.
    const refused = await stack.call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, { caseworkerId: 'abh.schmidt', answer: inconsistent });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/validUntil lies before validFrom/);

    // What the server itself carries: the same Update, sent and answered raw.
    const dataConverter = loadDataConverter(testDataConverter());
    const decision = { taskId: task.id, answeredBy: { domain: 'immigration', caseworkerId: 'abh.schmidt' }, answer: inconsistent };
    const response = await stack.temporal.workflowService.updateWorkflowExecution({
      namespace: stack.temporal.options.namespace,
      workflowExecution: { workflowId: `status-clarification:${caseRef}` },
      waitPolicy: { lifecycleStage: temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED },
      request: {
        meta: { updateId: randomUUID(), identity: 'payload-encryption e2e' },
        input: { name: 'answerStatusInquiry', args: { payloads: await encodeToPayloads(dataConverter, decision) } },
      },
    });
    const failure = response.outcome?.failure;
    expect(failure?.message).toBe('Encoded failure');
    expect(failure?.applicationFailureInfo?.type).toBe('InvalidAnswer');
    expect(text(failure?.encodedAttributes?.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    const rawBytes = Buffer.from(temporal.api.workflowservice.v1.UpdateWorkflowExecutionResponse.encode(response).finish());
    expect(rawBytes.includes(Buffer.from('validUntil lies before'))).toBe(false);

    const error = await decodeOptionalFailureToOptionalError(dataConverter, failure);
    expect(error?.message).toMatch(/^Invalid answer: .*validUntil lies before validFrom/);
    const [attributes] = await codec.decode([failure!.encodedAttributes!]);
    expect(defaultPayloadConverter.fromPayload<{ message: string }>(attributes).message).toBe(error?.message);
  });
});

describe('payload key rotation across the services', () => {
  // The test key set: the current key first, then an older one.
  const [newKey, oldKey] = testStack().payloadKeys.split(',');
  const keyId = (key: string) => key.split(':')[0];
  let stack: E2eStack;
  let codec: TestCodecServer;

  beforeAll(async () => {
    [stack, codec] = await Promise.all([startE2eStack('e2e-rotation', { env: { PAYLOAD_ENCRYPTION_KEYS: oldKey } }), startCodecServer()]);
  });

  afterAll(async () => {
    await Promise.all([stack?.close(), codec?.stop()]);
  });

  it('completes a handoff started under the old key after the services restart with a new current key, and decodes all of it', async () => {
    const caseRef = newCaseRef();
    const workflowId = `status-clarification:${caseRef}`;
    expect((await stack.call('job-centre', 'POST', '/status-clarifications', statusRequest(caseRef))).status).toBe(202);
    const task = await inboxTaskFor(stack, caseRef);
    const keyIdsOf = async () => new Set(payloadsIn(await rawHistory(stack, workflowId)).map((payload) => text(payload.metadata?.[KEY_ID_METADATA])));
    expect(await keyIdsOf()).toEqual(new Set([keyId(oldKey)]));

    await stack.restartServices({ PAYLOAD_ENCRYPTION_KEYS: `${newKey},${oldKey}` });
    const answer = await stack.call('immigration', 'POST', `/inbox/tasks/${task.id}/answer`, { caseworkerId: 'abh.schmidt', answer: ANSWER_ALLOWED });
    expect(answer.status).toBe(200);
    expect((await answered(stack, caseRef)).outcome).toBe('CLEARED');

    const history = await rawHistory(stack, workflowId);
    expect(await keyIdsOf()).toEqual(new Set([keyId(oldKey), keyId(newKey)]));
    expectNoPersonalData(historyBytes(history));
    const decoded = (await codec.decode(payloadsIn(history))).map((payload) => text(payload.data)).join('\n');
    for (const value of PERSONAL_DATA) expect(decoded).toContain(value);

    // A codec server that dropped the old key too early cannot read the handoff's start, and says which key it lacks.
    const withoutOldKey = await startCodecServer({ PAYLOAD_ENCRYPTION_KEYS: newKey });
    try {
      await expect(withoutOldKey.decode(payloadsIn(history))).rejects.toThrow(new RegExp(`400.*key id \\\\"${keyId(oldKey)}\\\\"`));
    } finally {
      await withoutOldKey.stop();
    }
  });
});
