import { execFile, execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { DueAt, STUCK_REASONS, Stuck, StuckReason, WaitingOn } from '@handoffs/contracts';
import { eventually, startE2eStack, testStack, type E2eStack } from '@handoffs/testing';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const DEMO = path.join(REPO_ROOT, 'scripts', 'demo.mjs');
const run = promisify(execFile);

/** The demo's settings, read from scripts/demo.mjs itself: the one place they are written. */
function demoSettings(): Record<string, string> {
  const script = `import(${JSON.stringify(DEMO)}).then((demo) => console.log(JSON.stringify(demo.DEMO_SETTINGS)))`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

/**
 * The demo `npm start` loads, on a stack of its own: within a minute it holds completed handoffs,
 * handoffs waiting inside their deadline, and stuck ones of every reason, which the CLI lists with
 * where they wait, when they are due and why they are stuck.
 */
describe('the demo scenario', () => {
  let stack: E2eStack;
  let demoEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    stack = await startE2eStack('e2e-demo', { env: demoSettings(), simulator: true });
    const { services } = stack;
    demoEnv = {
      ...process.env,
      IMMIGRATION_URL: services.immigration.url,
      JOB_CENTRE_URL: services['job-centre'].url,
      SOCIAL_SERVICES_URL: services['social-services'].url,
    };
  });

  afterAll(() => stack?.close());

  async function list(query: string): Promise<WorkflowExecutionInfo[]> {
    const found: WorkflowExecutionInfo[] = [];
    for await (const execution of stack.temporal.workflow.list({ query })) found.push(execution);
    return found;
  }

  it('holds completed, waiting and stuck handoffs of every reason, and the CLI lists the stuck ones', async () => {
    await run(process.execPath, [DEMO, 'main'], { env: demoEnv });
    // The outage: social services is down while a deportation starts.
    expect(await stack.services['social-services'].stop()).toBe(0);
    await run(process.execPath, [DEMO, 'outage'], { env: demoEnv });

    const stuck = await eventually(
      async () => {
        const found = await list('Stuck = true');
        const reasons = new Set(found.map((execution) => execution.typedSearchAttributes.get(StuckReason)));
        return STUCK_REASONS.every((reason) => reasons.has(reason)) ? found : undefined;
      },
      90000,
      'stuck handoffs of every reason',
    );
    for (const execution of stuck) {
      expect([execution.workflowId, execution.typedSearchAttributes.get(WaitingOn)]).toEqual([execution.workflowId, expect.any(String)]);
      expect(execution.typedSearchAttributes.get(DueAt)).toBeInstanceOf(Date);
    }
    const stuckFor = (reason: string) => stuck.filter((e) => e.typedSearchAttributes.get(StuckReason) === reason).map((e) => e.workflowId);
    // Social services' outage holds up every handoff whose next step is social services'.
    expect(stuckFor('domain-unavailable')).toContain('deportation:ABH-2026-D0003');
    expect(stuckFor('step-failing')).toEqual(['agency-referral:DEMO-2026-0007']);
    expect(stuckFor('external-silent')).toEqual(['agency-referral:DEMO-2026-0006']);
    expect(stuckFor('deadline-passed').sort()).toEqual(['status-clarification:DEMO-2026-0004', 'status-clarification:DEMO-2026-0005']);

    const completed = await eventually(async () => {
      const found = await list("ExecutionStatus = 'Completed' AND OwningDomain IS NOT NULL");
      return found.length > 0 ? found : undefined;
    });
    expect(completed.map((e) => e.workflowId)).toContain('agency-referral:DEMO-2026-0001');
    const waiting = await list(`ExecutionStatus = 'Running' AND Stuck = false AND DueAt > '${new Date().toISOString()}'`);
    expect(waiting.map((e) => e.workflowId)).toEqual(expect.arrayContaining(['deportation:ABH-2026-D0001', 'legal-domain-transfer:SA-2026-D0001']));

    // What a supervisor types: `npm run temporal -- workflow list --query 'Stuck = true'`.
    const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, 'scripts', 'temporal.mjs'), 'workflow', 'list', '--namespace', stack.temporal.options.namespace, '--query', 'Stuck = true'], {
      env: { ...process.env, TEMPORAL_ADDRESS: testStack().temporalAddress },
    });
    const [header, ...rows] = stdout.trim().split('\n');
    expect(header.split(/\s+/)).toEqual(['WorkflowId', 'Status', 'HandoffStage', 'WaitingOn', 'DueAt', 'Stuck', 'StuckReason', 'EscalationLevel']);
    for (const execution of stuck) {
      const row = rows.find((line) => line.startsWith(`${execution.workflowId} `));
      const attributes = execution.typedSearchAttributes;
      expect(row?.split(/\s+/).slice(3, 7)).toEqual([attributes.get(WaitingOn), expect.stringMatching(/^\d{4}-\d\d-\d\dT/), 'true', attributes.get(StuckReason)]);
    }

    // Social services is back: the deportation moves on and is no longer stuck.
    await stack.services['social-services'].start();
    const handle = stack.temporal.workflow.getHandle('deportation:ABH-2026-D0003');
    await eventually(async () => ((await handle.describe()).typedSearchAttributes.get(Stuck) === false ? true : undefined), 90000, 'the outage case to clear');
  });
});
