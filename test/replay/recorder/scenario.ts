import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { HandoffStage, EscalationLevel, type Actor, type Domain, type Process } from '@handoffs/contracts';
import { changeDeadline } from '@handoffs/workflows';
import { eventually } from '@handoffs/testing';
import type { FakeDomainOptions, FakeDomains, OpenedTask } from './fake-domains';

export interface ScenarioContext {
  client: Client;
  domains: FakeDomains;
  /** Starts the worker of a domain the scenario began without (its service was down). */
  bringUp(domain: Domain): Promise<void>;
}

/**
 * One branch of a process, driven the way the services and caseworkers drive it, against the real
 * workflow code on a real Temporal server. Its history is written to test/replay/<process>/<branch>.json.
 */
export interface Scenario {
  process: Process;
  branch: string;
  /** What the history covers, in plain words. */
  covers: string;
  caseRef: string;
  fakes?: FakeDomainOptions;
  /** Domains whose service is down when the workflow starts. */
  down?: Domain[];
  /**
   * Drives the workflow and returns its handle once the history is as wanted: completed, or still
   * running, waiting where it should (the recorder then ends it after taking the history).
   */
  run(context: ScenarioContext): Promise<WorkflowHandle>;
}

const DAY_MS = 24 * 3600 * 1000;

/** A day relative to today, `YYYY-MM-DD`. */
export function inDays(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
}

/** The inbox task of that kind the workflow opened, once it has. */
export function taskOf(domains: FakeDomains, handle: WorkflowHandle, kind: string): Promise<OpenedTask> {
  return eventually(async () => domains.tasks.find((task) => task.workflowId === handle.workflowId && task.kind === kind), 30000, `task ${kind}`);
}

/** Waits until the workflow has published the stage (search attributes are written when its task completes). */
export async function stagePublished(handle: WorkflowHandle, stage: string): Promise<void> {
  await eventually(async () => ((await handle.describe()).typedSearchAttributes.get(HandoffStage) === stage ? true : undefined), 30000, `stage ${stage}`);
}

export async function escalatedTo(handle: WorkflowHandle, level: number): Promise<void> {
  await eventually(
    async () => (((await handle.describe()).typedSearchAttributes.get(EscalationLevel) ?? 0) >= level ? true : undefined),
    30000,
    `escalation level ${level}`,
  );
}

/**
 * The domain waited on extends its deadline by a day, suspends it and resumes it, each with a reason
 * (changeDeadline Updates). The first is sent again while the workflow has no deadline to change yet
 * (it is still opening the task); a refused Update leaves nothing in the history.
 */
export async function extendSuspendResume(handle: WorkflowHandle, by: Actor, reasons: { extend: string; suspend: string; resume: string }): Promise<void> {
  await eventually(
    () =>
      handle.executeUpdate(changeDeadline, { args: [{ action: 'extend', by, reason: reasons.extend, extendBy: '1 day' }] }).then(
        () => true,
        (error: unknown) => {
          if (error instanceof WorkflowUpdateFailedError && (error.cause as { type?: string }).type === 'NoDeadline') return undefined;
          throw error;
        },
      ),
    30000,
    'a deadline to change',
  );
  await handle.executeUpdate(changeDeadline, { args: [{ action: 'suspend', by, reason: reasons.suspend }] });
  await handle.executeUpdate(changeDeadline, { args: [{ action: 'resume', by, reason: reasons.resume }] });
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
