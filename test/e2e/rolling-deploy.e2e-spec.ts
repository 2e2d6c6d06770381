import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { StatusAnswer } from '@handoffs/contracts';
import { ANSWER_ALLOWED, SUBJECT, eventually, newCaseRef, startE2eStack, type E2eStack } from '@handoffs/testing';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const HANDOFFS = 12;
/** Valid for a week: the re-check is due at once, so each handoff runs to its end after the answer. */
const inDays = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);
const ANSWER: StatusAnswer = { ...ANSWER_ALLOWED, validUntil: inDays(7) };

/**
 * A rolling deploy: handoffs are in flight (some waiting for the immigration office, some answered and
 * on their way), and the immigration service (which hosts the workflows) and then the job centre are
 * restarted from a new build of their own, one at a time. Every handoff completes, each exactly once.
 */
describe('a rolling deploy of one service at a time', () => {
  let stack: E2eStack;
  let newBuild: string;

  beforeAll(async () => {
    newBuild = mkdtempSync(path.join(tmpdir(), 'new-build-'));
    for (const service of ['immigration', 'job-centre']) {
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build-service.mjs'), service], {
        env: { ...process.env, SERVICES_DIST: newBuild },
        stdio: 'pipe',
      });
    }
    stack = await startE2eStack('e2e-rolling-deploy');
  });

  afterAll(async () => {
    await stack?.close();
    if (newBuild) rmSync(newBuild, { recursive: true, force: true });
  });

  const call = (...args: Parameters<E2eStack['call']>) => stack.call(...args);

  async function inquiryTask(caseRef: string): Promise<string> {
    return eventually(async () => {
      const { body } = await call('immigration', 'GET', '/inbox/tasks?kind=status-inquiry&state=open');
      return (body as { id: string; caseRef: string }[]).find((task) => task.caseRef === caseRef)?.id;
    }, 60000, `the inquiry task of ${caseRef}`);
  }

  async function answer(caseRef: string): Promise<void> {
    const taskId = await inquiryTask(caseRef);
    const answered = await call('immigration', 'POST', `/inbox/tasks/${taskId}/answer`, { caseworkerId: 'abh.schmidt', answer: ANSWER });
    expect([caseRef, answered.status]).toEqual([caseRef, 200]);
  }

  it('completes every handoff in flight while the services are restarted from a new build', async () => {
    expect(existsSync(path.join(newBuild, 'immigration', 'workflow-bundle.js'))).toBe(true);
    const caseRefs = Array.from({ length: HANDOFFS }, () => newCaseRef());
    for (const caseRef of caseRefs) {
      const started = await call('job-centre', 'POST', '/status-clarifications', { caseRef, caseworkerId: 'jc.mueller', subject: SUBJECT, questions: ['employment-permitted'] });
      expect([caseRef, started.status]).toEqual([caseRef, 202]);
    }
    const [firstHalf, secondHalf] = [caseRefs.slice(0, HANDOFFS / 2), caseRefs.slice(HANDOFFS / 2)];
    // Half are answered and on their way to the job centre when the immigration service goes down.
    await Promise.all(firstHalf.map(answer));
    await stack.services.immigration.restart({}, newBuild);
    // The other half is answered through the new build, while the job centre is deployed in turn.
    await Promise.all(secondHalf.map(answer));
    await stack.services['job-centre'].restart({}, newBuild);

    for (const caseRef of caseRefs) {
      const result = await stack.temporal.workflow.getHandle(`status-clarification:${caseRef}`).result();
      expect([caseRef, result.outcome]).toEqual([caseRef, 'CLEARED']);
      const record = await call('job-centre', 'GET', `/status-clarifications/${caseRef}`);
      expect([caseRef, record.body.state]).toEqual([caseRef, 'answered']);
    }
    // Each handoff's records exactly once, on both sides: nothing doubled by the restarts.
    const perCase = async (sql: string) =>
      Object.fromEntries((await stack.db.query(sql, [caseRefs])).rows.map((row: { case_ref: string; n: string }) => [row.case_ref, Number(row.n)]));
    const tasks = await perCase("SELECT case_ref, count(*) AS n FROM immigration.inbox_task WHERE case_ref = ANY($1) AND kind = 'status-inquiry' GROUP BY case_ref");
    const rechecks = await perCase("SELECT case_ref, count(*) AS n FROM job_centre.inbox_task WHERE case_ref = ANY($1) AND kind = 'status-recheck' GROUP BY case_ref");
    expect(tasks).toEqual(Object.fromEntries(caseRefs.map((caseRef) => [caseRef, 1])));
    expect(rechecks).toEqual(Object.fromEntries(caseRefs.map((caseRef) => [caseRef, 1])));
  });
});
