import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  DueAt,
  EscalationLevel,
  HandoffStage,
  Stuck,
  StuckReason,
  WaitingOn,
  taskQueueOf,
  type HandoffRecordActivities,
  type ImmigrationRegisterActivities,
  type JobCentreStatusActivities,
  type StatusClarificationInput,
} from '@handoffs/contracts';
import { SUBJECT, createWorkflowTestEnvironment, eventually, newCaseRef, type WorkflowTestEnvironment } from '@handoffs/testing';
import { statusClarification } from '@handoffs/workflows';

/** Screenshots land here: `npm test` keeps the folder as the run's artefacts (git-ignored). */
const RESULTS = path.resolve(__dirname, '..', '..', 'test-results');
const STUCK_QUERY = 'Stuck = true';
/** The columns a supervisor adds to the workflow table: the custom search attributes that say who must act, by when and why it is stuck. */
const SUPERVISOR_COLUMNS = [WaitingOn, DueAt, StuckReason, EscalationLevel, HandoffStage].map((key) => key.name);

/** Where `npm test` serves the Temporal Web UI of the server the tests run on. */
function temporalUiUrl(): string {
  const url = process.env.TEMPORAL_UI_URL;
  if (!url) {
    throw new Error('The browser test needs the Temporal Web UI of the test server: run it through `npm test`, or set TEMPORAL_UI_URL (e.g. http://127.0.0.1:8233).');
  }
  return url.replace(/\/$/, '');
}

/** A date-time search attribute as the Web UI shows it in its default UTC format, to the second. */
function asShownInUi(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} UTC ${iso.slice(11, 19)}`;
}

/**
 * The supervisor's view: headless Chromium (Debian's, driven by playwright-core) opens the Temporal
 * Web UI, runs the stuck-handoffs query and finds the stuck handoffs with the columns that matter.
 */
describe("the supervisor's view in the Temporal Web UI", () => {
  let environment: WorkflowTestEnvironment;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    environment = await createWorkflowTestEnvironment('supervisor-ui');
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true });
  });

  afterAll(async () => {
    await browser?.close();
    await environment?.close();
  });

  /** The domains' side of a status clarification, reduced to answering at once: no register record, so a caseworker must answer. */
  function quietDomains(): HandoffRecordActivities & ImmigrationRegisterActivities & JobCentreStatusActivities {
    return {
      openInboxTask: async (task) => ({ taskId: task.taskId }),
      closeInboxTask: async () => undefined,
      recordTransfer: async () => undefined,
      findCurrentStatus: async () => null,
      deliverStatusAnswer: async () => undefined,
    };
  }

  function start(caseRef: string, answerWithin: StatusClarificationInput['answerWithin']): Promise<WorkflowHandle<typeof statusClarification>> {
    return environment.client.workflow.start(statusClarification, {
      workflowId: `status-clarification:${caseRef}`,
      taskQueue: taskQueueOf('immigration'),
      staticSummary: `Status clarification ${caseRef}: job centre asks the immigration office about work permission`,
      args: [
        {
          caseRef,
          requestedBy: { domain: 'job-centre', caseworkerId: 'jc.mueller' },
          requestedAt: new Date().toISOString(),
          inquiry: { subject: SUBJECT, questions: ['employment-permitted'] },
          answerWithin,
          recheckBefore: '28 days',
        },
      ],
    });
  }

  /** The rows of the workflow table, each as column label → cell text. */
  async function tableRows(): Promise<Record<string, string>[]> {
    const table = page.locator('table').first();
    const labels = (await table.locator('thead th').allTextContents()).map((label) => label.trim());
    const rows: Record<string, string>[] = [];
    for (const row of await table.locator('tbody tr').all()) {
      const cells = await row.locator('td').allTextContents();
      rows.push(Object.fromEntries(cells.map((cell, index) => [labels[index] ?? String(index), cell.trim()])));
    }
    return rows;
  }

  it('lists the stuck handoffs with who must act, by when and why, and not the one still in time', async () => {
    const { client, namespace, workerConnection, workflowBundle, dataConverter } = environment;
    const stuckCases = [newCaseRef(), newCaseRef()];
    const inTimeCase = newCaseRef();
    const activities = quietDomains();

    // Run the domains until the deadlines have passed; once the workers stop, the search attributes stay as the supervisor will see them.
    const immigration = await Worker.create({ connection: workerConnection, namespace, taskQueue: taskQueueOf('immigration'), workflowBundle, activities, dataConverter });
    const jobCentre = await Worker.create({ connection: workerConnection, namespace, taskQueue: taskQueueOf('job-centre'), activities, dataConverter });
    await immigration.runUntil(
      jobCentre.runUntil(async () => {
        await Promise.all([...stuckCases.map((caseRef) => start(caseRef, '1 second')), start(inTimeCase, '1 hour')]);
        await eventually(
          async () => {
            const stuck = new Set<string>();
            for await (const workflow of client.workflow.list({ query: STUCK_QUERY })) stuck.add(workflow.workflowId);
            return stuckCases.every((caseRef) => stuck.has(`status-clarification:${caseRef}`)) ? true : undefined;
          },
          30000,
          'both handoffs to be stuck',
        );
      }),
    );

    // What the UI must show: the visibility records as they now stand.
    const expected = new Map<string, { waitingOn: string; dueAt: string; stuckReason: string }>();
    for await (const workflow of client.workflow.list({ query: STUCK_QUERY })) {
      const attributes = workflow.typedSearchAttributes;
      expect(attributes.get(StuckReason)).toBe('deadline-passed');
      expect(attributes.get(WaitingOn)).toBe('immigration');
      expected.set(workflow.workflowId, {
        waitingOn: attributes.get(WaitingOn)!,
        dueAt: asShownInUi(attributes.get(DueAt)!),
        stuckReason: attributes.get(StuckReason)!,
      });
    }
    expect([...expected.keys()].sort()).toEqual(stuckCases.map((caseRef) => `status-clarification:${caseRef}`).sort());
    const inTime = await client.workflow.getHandle(`status-clarification:${inTimeCase}`).describe();
    expect(inTime.status.name).toBe('RUNNING');
    expect(inTime.typedSearchAttributes.get(Stuck)).toBe(false);

    page = await browser.newPage({ viewport: { width: 1920, height: 900 } });
    // The Web UI keeps each namespace's table columns in localStorage, where "Configure columns" writes them;
    // the supervisor's columns go there before the page loads, in the UI's own format.
    const columns = [{ label: 'Status', pinned: true }, { label: 'Workflow ID', pinned: true }, ...SUPERVISOR_COLUMNS.map((label) => ({ label, pinned: false })), { label: 'Start', pinned: false }];
    await page.addInitScript({
      content: [
        `localStorage.setItem('namespace-workflow-table-columns', ${JSON.stringify(JSON.stringify({ [namespace]: columns }))});`,
        `localStorage.setItem('timeFormat', ${JSON.stringify(JSON.stringify('UTC'))});`,
      ].join('\n'),
    });
    const screenshot = (name: string) => page.screenshot({ path: path.join(RESULTS, name), fullPage: true, animations: 'disabled' });
    try {
      await page.goto(`${temporalUiUrl()}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(STUCK_QUERY)}`);
      const rows = await eventually(async () => {
        const found = await tableRows();
        return [...expected.keys()].every((workflowId) => found.some((row) => row['Workflow ID'] === workflowId)) ? found : undefined;
      }, 30000, 'the stuck handoffs in the workflow table');
      // Show the query itself, as a supervisor typing it would see it.
      await page.getByTestId('toggle-manual-query').click();
      await expect(page.getByTestId('manual-search-input').inputValue()).resolves.toBe(STUCK_QUERY);

      const headers = Object.keys(rows[0]);
      expect(headers).toEqual(expect.arrayContaining(['Workflow ID', ...SUPERVISOR_COLUMNS]));
      const shown = rows.map((row) => ({
        workflowId: row['Workflow ID'],
        waitingOn: row[WaitingOn.name],
        dueAt: row[DueAt.name],
        stuckReason: row[StuckReason.name],
      }));
      expect(shown.map((row) => row.workflowId).sort()).toEqual([...expected.keys()].sort());
      for (const row of shown) {
        const want = expected.get(row.workflowId)!;
        expect(row).toMatchObject({ waitingOn: want.waitingOn, stuckReason: want.stuckReason });
        expect(row.dueAt).toContain(want.dueAt);
      }
      expect(shown.map((row) => row.workflowId)).not.toContain(`status-clarification:${inTimeCase}`);
      await screenshot('supervisor-ui-stuck-handoffs.png');
    } catch (error) {
      await screenshot('supervisor-ui-stuck-handoffs.failure.png').catch(() => undefined);
      throw error;
    }
  });
});
