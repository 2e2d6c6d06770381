// The two systems under load, behind one interface so that the load generator and the measurement
// are the same for both:
// - ours: status clarifications through the HTTP API, as the job centre's and the immigration
//   office's caseworkers make them (POST /status-clarifications; POST /inbox/tasks/:id/answer);
// - the baseline: workflows of the same shape started and updated with the raw Temporal client.
import { setTimeout as sleep } from 'node:timers/promises';
import { errorKind } from './load.mjs';

/**
 * @typedef {object} System
 * @property {'ours' | 'baseline'} name
 * @property {string} namespace where its workflows run
 * @property {string} workflowType
 * @property {(tag: string, index: number) => Promise<{ id: string, ok: boolean, error?: string }>} start
 *   starts handoff `index` of stage `tag` on the automated path
 * @property {(count: number) => Promise<unknown[]>} prepareDecisions
 *   starts `count` handoffs that wait for a caseworker's decision; resolves once all of them wait
 * @property {(waiting: any) => Promise<{ id: string, ok: boolean, error?: string }>} decide
 *   the caseworker's decision on one of them
 */

/** How long the handoffs of the decision phase may take to reach the caseworker. */
const WAIT_FOR_DECISIONS_MS = 120_000;

// The fictitious people of the bench; an inquiry names one of them (never in IDs or logs).
const PEOPLE = 100;
const person = (index) => ({ azrNumber: `BENCH${String(index % PEOPLE).padStart(6, '0')}`, familyName: 'Benchmark', givenNames: `Person ${index % PEOPLE}`, dateOfBirth: '1990-01-01' });
const QUESTIONS = ['employment-permitted', 'document-validity'];
const isoDay = (offsetDays) => new Date(Date.now() + offsetDays * 24 * 3600 * 1000).toISOString().slice(0, 10);
/** A residence permit that clears the person: valid for two more years, so the register answers (REGISTER_ANSWERS). */
const statusOnRecord = () => ({
  residenceDocument: 'residence-permit',
  legalBasis: '§ 25 Abs. 2 AufenthG',
  validFrom: isoDay(-365),
  validUntil: isoDay(730),
  employmentPermission: 'ALLOWED',
});

/** A pseudonymous case reference unique within the run: stage tag and index. */
export function benchCaseRef(tag, index) {
  return `BENCH-${new Date().getUTCFullYear()}-${tag}${String(index).padStart(6, '0')}`;
}

async function call(url, method, body) {
  const response = await fetch(url, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * Ours: the job centre asks, the immigration office's register answers (the automated path).
 * @param {{ immigration: string, jobCentre: string }} urls
 * @returns {System}
 */
export function ours(urls) {
  const request = (caseRef, subject) => call(`${urls.jobCentre}/status-clarifications`, 'POST', { caseRef, caseworkerId: 'jc.bench', subject, questions: QUESTIONS });
  const accepted = (id, { status }) => (status === 202 ? { id, ok: true } : { id, ok: false, error: `HTTP ${status}` });
  return {
    name: 'ours',
    namespace: 'default',
    workflowType: 'statusClarification',

    /** Records a current residence status for each of the bench's people: the register's fast path answers them. */
    async setUp() {
      for (let index = 0; index < PEOPLE; index++) {
        const { azrNumber, familyName, dateOfBirth } = person(index);
        const { status } = await call(`${urls.immigration}/residence-records/${azrNumber}`, 'PUT', { caseworkerId: 'abh.bench', familyName, dateOfBirth, status: statusOnRecord() });
        if (status !== 200) throw new Error(`the register refused a bench record (HTTP ${status})`);
      }
    },

    async start(tag, index) {
      const caseRef = benchCaseRef(tag, index);
      return accepted(`status-clarification:${caseRef}`, await request(caseRef, person(index)));
    },

    async prepareDecisions(count) {
      // Without an AZR-Nummer the register cannot answer: each inquiry lands in the caseworkers' inbox.
      const caseRefs = [];
      for (let index = 0; index < count; index++) {
        const caseRef = benchCaseRef('U', index);
        const { givenNames, familyName, dateOfBirth } = person(index);
        const { status } = await request(caseRef, { givenNames, familyName, dateOfBirth });
        if (status !== 202) throw new Error(`the job centre refused an inquiry for the decision phase (HTTP ${status})`);
        caseRefs.push(caseRef);
      }
      const wanted = new Set(caseRefs);
      const tasks = new Map();
      const deadline = Date.now() + WAIT_FOR_DECISIONS_MS;
      while (tasks.size < wanted.size) {
        if (Date.now() > deadline) throw new Error(`only ${tasks.size} of ${wanted.size} inquiry tasks reached the inbox`);
        const { body } = await call(`${urls.immigration}/inbox/tasks?kind=status-inquiry&state=open`, 'GET');
        for (const task of body) if (wanted.has(task.caseRef)) tasks.set(task.caseRef, task.id);
        if (tasks.size < wanted.size) await sleep(200);
      }
      return caseRefs.map((caseRef) => ({ caseRef, taskId: tasks.get(caseRef) }));
    },

    async decide({ caseRef, taskId }) {
      const { status } = await call(`${urls.immigration}/inbox/tasks/${taskId}/answer`, 'POST', { caseworkerId: 'abh.bench', answer: statusOnRecord() });
      return status === 200 ? { id: caseRef, ok: true } : { id: caseRef, ok: false, error: `HTTP ${status}` };
    },
  };
}

/**
 * The baseline: the same shape (scripts/lib/bench/baseline/workflows.mjs) with the raw client.
 * @param {import('@temporalio/client').Client} client on the baseline's namespace
 * @returns {System}
 */
export function baseline(client) {
  const startOne = async (workflowId, input) => {
    try {
      await client.workflow.start('handoffBaseline', { taskQueue: 'immigration', workflowId, args: [input] });
      return { id: workflowId, ok: true };
    } catch (error) {
      return { id: workflowId, ok: false, error: errorKind(error) };
    }
  };
  return {
    name: 'baseline',
    namespace: client.options.namespace,
    workflowType: 'handoffBaseline',
    async setUp() {},

    start: (tag, index) => startOne(`handoff-baseline:${tag}${index}`, {}),

    async prepareDecisions(count) {
      const ids = [];
      for (let index = 0; index < count; index++) {
        const { id, ok } = await startOne(`handoff-baseline:U${index}`, { awaitDecision: true });
        if (!ok) throw new Error('the baseline refused a workflow for the decision phase');
        ids.push(id);
      }
      const deadline = Date.now() + WAIT_FOR_DECISIONS_MS;
      for (const id of ids) {
        while (!(await client.workflow.getHandle(id).query('awaitingDecision'))) {
          if (Date.now() > deadline) throw new Error('a baseline workflow did not reach its decision');
          await sleep(100);
        }
      }
      return ids;
    },

    async decide(id) {
      try {
        await client.workflow.getHandle(id).executeUpdate('decide', { args: [{ outcome: 'CLEARED' }] });
        return { id, ok: true };
      } catch (error) {
        return { id, ok: false, error: errorKind(error) };
      }
    },
  };
}
