import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { CaseRef, taskQueueOf } from '@handoffs/contracts';
import {
  DEMO_PEOPLE,
  PERSONAL_DATA,
  SUBJECT,
  bundleWorkflows,
  createTestNamespace,
  eventually,
  newCaseRef,
  testStack,
  uniqueSuffix,
} from '@handoffs/testing';
import { statusClarification } from '@handoffs/workflows';
import { describeFinding, needlesFor } from './personal-data';
import { scanVisibility, type ScanReport } from './visibility-scan';

/** Fewer than this and the scan has not seen what the suite leaves behind (about a hundred workflows, the demo 11 of them). */
const AT_LEAST_WORKFLOWS = 50;

/** A loud failure: where each value was found (namespace, workflow ID, field), never the value itself. */
function expectNoFindings(report: ScanReport): void {
  if (report.findings.length > 0) {
    throw new Error(
      `Personal data from the fixtures where Temporal does not encrypt, ${report.findings.length} times:\n` +
        report.findings.map((finding) => `  ${describeFinding(finding)}`).join('\n'),
    );
  }
}

/**
 * "No personal data where Temporal does not encrypt": after every other test has run, every workflow
 * on the server (those the tests left, and the demo's) is read as a supervisor's UI would show it.
 */
describe('no personal data where Temporal does not encrypt', () => {
  const needles = needlesFor(PERSONAL_DATA);
  let workflowBundle: { code: string };

  beforeAll(async () => {
    // The scan starts a worker per task queue: the SDK's warnings, not its every state change.
    Runtime.install({ logger: new DefaultLogger('WARN') });
    workflowBundle = await bundleWorkflows();
  });

  it('finds none in the workflow IDs, search attributes, memo keys, summaries and details of every workflow on the server', async () => {
    const report = await scanVisibility({ address: testStack().temporalAddress, needles, workflowBundle });

    expectNoFindings(report);
    expect(report.unreadable).toEqual([]);
    // It saw what the suite and the demo left: every workflow of every namespace, each field read.
    expect(report.workflows).toBeGreaterThanOrEqual(AT_LEAST_WORKFLOWS);
    for (const namespace of report.namespaces) expect(namespace).toMatchObject({ workflows: namespace.counted });
    // The demo, as npm start loads it, ran in the main suite (test/e2e/demo.e2e-spec.ts) in a namespace of its own.
    const demo = report.namespaces.find((namespace) => namespace.name.startsWith('test-e2e-demo-'));
    expect(demo?.workflows).toBeGreaterThanOrEqual(Object.keys(DEMO_PEOPLE).length);
    expect(report.namespaces.filter((namespace) => namespace.name.startsWith('test-') && namespace.workflows > 0).length).toBeGreaterThan(1);
    expect(report.valuesRead['workflow ID']).toBe(report.workflows);
    expect(report.valuesRead['current details'] + report.neverRan).toBe(report.workflows);
    expect(report.valuesRead['current details']).toBeGreaterThan(report.neverRan);
    expect(report.valuesRead['search attribute']).toBeGreaterThan(report.workflows);
    expect(report.valuesRead['static summary']).toBeGreaterThan(0);
    console.log(
      `Personal-data scan: ${report.workflows} workflows in ${report.namespaces.length} namespaces (${report.neverRan} never ran); values read: ` +
        Object.entries(report.valuesRead).map(([field, count]) => `${field} ${count}`).join(', '),
    );
  });

  it('finds personal data planted in each field, and names where without printing it', async () => {
    const namespace = await createTestNamespace('scan-control');
    const connection = await Connection.connect({ address: testStack().temporalAddress });
    const client = new Client({ connection, namespace });
    const [year, month, day] = SUBJECT.dateOfBirth.split('-');
    const caseRef = newCaseRef();
    const handle = await client.workflow.start(statusClarification, {
      workflowId: `status-clarification:${SUBJECT.familyName}-${uniqueSuffix()}`,
      taskQueue: taskQueueOf('immigration'),
      typedSearchAttributes: [{ key: CaseRef, value: `JC-${SUBJECT.azrNumber}` }],
      memo: { [SUBJECT.givenNames]: 'planted' },
      staticSummary: `Status clarification for a person born ${SUBJECT.dateOfBirth}`,
      staticDetails: `geb. ${day}.${month}.${year}`,
      args: [
        {
          caseRef,
          requestedBy: { domain: 'job-centre', caseworkerId: 'jc.mueller' },
          requestedAt: new Date().toISOString(),
          inquiry: { subject: SUBJECT, questions: ['employment-permitted'] },
          answerWithin: '1 hour',
          recheckBefore: '28 days',
        },
      ],
    });
    try {
      const report = await scanVisibility({ address: testStack().temporalAddress, needles, workflowBundle, only: [namespace] });
      const found = report.findings.map(({ field, kind }) => `${field}: ${kind}`);
      expect(found.sort()).toEqual(
        [
          'workflow ID: family name',
          'search attribute CaseRef: AZR number',
          'memo key: given names',
          'static summary: date of birth',
          'static details: date of birth',
        ].sort(),
      );
      const messages = report.findings.map(describeFinding).join('\n');
      for (const value of [SUBJECT.familyName, SUBJECT.azrNumber!, SUBJECT.givenNames, SUBJECT.dateOfBirth, `${day}.${month}.${year}`]) {
        expect(messages.toLowerCase()).not.toContain(value.toLowerCase());
      }
      expect(messages).toContain(`${namespace} / status-clarification:[family name]-`);
      // No worker ever ran it: it has no current details, and the scan does not run it either.
      expect(report.neverRan).toBe(1);
    } finally {
      // Gone again, so that a later scan of this server does not report the planted values.
      await connection.workflowService.deleteWorkflowExecution({ namespace, workflowExecution: { workflowId: handle.workflowId } });
      await eventually(async () => ((await client.workflow.count()).count === 0 ? true : undefined), 30000, 'the planted workflow to be deleted');
      await connection.close();
    }
  });
});
