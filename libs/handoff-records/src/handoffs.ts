import { createHash } from 'node:crypto';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowExecutionAlreadyStartedError, type Workflow } from '@temporalio/client';
import type { Duration, UpdateDefinition } from '@temporalio/common';
import { DataSource, type EntityTarget, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { slaFor, taskQueueOf, type Actor, type Domain, type HandoffKind, type Process, type SlaOverrides, type StepPolicy } from '@handoffs/contracts';
import { TemporalWorkerHost } from '@handoffs/temporal';
import type { SignatureOf, WorkflowType } from '@handoffs/workflows/messages';
import { InboxTask } from './inbox-task.entity';
import { inboxTaskView } from './inbox-task.view';
import { conflictWith, refusalType, updateRefusal } from './refusals';

/** The columns every recorded request has: its case, its handoff, and what it asked (to tell a repeat from a different request). */
export interface RecordedRequest extends ObjectLiteral {
  caseRef: string;
  workflowId: string;
  requestFingerprint: string;
}

/** The service's policies every handoff it starts carries: when a step counts as stuck, and shortened deadlines (tests, demo). */
export interface HandoffPolicies {
  stepPolicy: StepPolicy;
  slaOverrides: SlaOverrides;
}

/** Nest injection token of the HandoffPolicies (HandoffRecordsModule.forDomain). */
export const HANDOFF_POLICIES = Symbol('HANDOFF_POLICIES');

/** How a recorded request's handoff starts: the workflow (its type from the messages), the domain that owns it, its input. */
export interface HandoffStart<T extends WorkflowType<Workflow>> {
  workflow: T;
  /** It runs on this domain's task queue. */
  owner: Domain;
  /** The workflow's input (every process takes one), but for the step policy, which the toolkit adds. */
  input: Omit<Parameters<SignatureOf<T>>[0], 'steps'>;
  /** Plain words for the Web UI, never personal data. */
  staticSummary: string;
}

export interface HandoffRequest<Row extends RecordedRequest, T extends WorkflowType<Workflow>> {
  entity: EntityTarget<Row>;
  /** The request as it is kept: written once, before anything starts. */
  row: QueryDeepPartialEntity<Row> & Pick<RecordedRequest, 'caseRef' | 'requestFingerprint'>;
  /** What the request is called in a conflict: "A different <what> is already recorded for <caseRef>". */
  what: string;
  /** The recorded request as the 409 shows it. */
  view(record: Row): unknown;
  /** Whether the recorded request's handoff is still to be started; by default always (a start finds the running one). */
  startsWhile?(record: Row): boolean;
  handoff(record: Row): HandoffStart<T>;
}

export interface Recorded<Row> {
  record: Row;
  /** True when this request was recorded now (202), false when it was found from an earlier one (200). */
  created: boolean;
}

/** The inbox tasks a route completes, and what a caseworker calls them ("status inquiry task"). */
export interface InboxTaskKind {
  name: string;
  kind?: string;
  /** Kinds numbered per round (e.g. `deportation-decision-2`) are found by their prefix. */
  kindPrefix?: string;
  process?: Process;
}

export interface TaskCompletion<Ret, Args extends [unknown, ...unknown[]]> {
  taskId: string;
  task: InboxTaskKind;
  /** Who completes it; a task claimed by another caseworker is theirs to complete. */
  actor: Actor;
  update: UpdateDefinition<Ret, Args>;
  args(task: InboxTask): Args;
  /** The workflow's refusals that mean "already completed or withdrawn": a 409 carrying the recorded task. */
  conflicts: readonly string[];
}

export interface HandoffUpdate<Ret, Args extends [unknown, ...unknown[]]> {
  workflowId: string;
  update: UpdateDefinition<Ret, Args>;
  args: Args;
  /** The workflow's refusals that mean "not in this state": a 409 instead of a 400. */
  conflicts: readonly string[];
  /** What a 409 carries besides the refusal, looked up only when one is answered. */
  recorded?(): Promise<Record<string, unknown>>;
}

/** A request's fingerprint: the same fields in the same order give the same one. */
export function requestFingerprint(fields: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

const CLOSE_WAIT_MS = 10_000;

/** The HTTP answer to a refused Update; a conflict carries what `recorded` looks up. */
async function refused(error: unknown, conflicts: readonly string[], recorded?: () => Promise<Record<string, unknown>>): Promise<Error> {
  const type = refusalType(error);
  const isConflict = type !== undefined && conflicts.includes(type);
  return updateRefusal(error, conflicts, isConflict && recorded ? await recorded() : {});
}

/**
 * The handoff toolkit every domain service's controllers use: record a request and start its
 * handoff; complete an inbox task with an Update; send any other decision as an Update. The inbox
 * row has one writer, the workflow (through the inbox activities): a completion sends the Update
 * and answers with what the workflow accepted once the workflow has closed the task.
 */
@Injectable()
export class Handoffs {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalWorkerHost,
    @Inject(HANDOFF_POLICIES) private readonly policies: HandoffPolicies,
  ) {}

  /** How long a handoff of this kind may wait, counted from `from`: the SLA policy in force then, or the service's override. */
  dueWithin(kind: HandoffKind, from: string): Duration {
    return slaFor(kind, from, this.policies.slaOverrides);
  }

  /**
   * Keeps the request, then starts its handoff, so nothing submitted is lost: the same request again
   * finds the recorded one and its handoff (one per case, however often asked); a different request
   * under the same case reference is a 409 carrying the recorded one.
   */
  async recordAndStart<Row extends RecordedRequest, T extends WorkflowType<Workflow>>(request: HandoffRequest<Row, T>): Promise<Recorded<Row>> {
    const records = this.dataSource.getRepository(request.entity);
    const inserted = await records.createQueryBuilder().insert().values(request.row).orIgnore().returning(['caseRef']).execute();
    const record = await records.findOneByOrFail({ caseRef: request.row.caseRef } as FindOptionsWhere<Row>);
    if (record.requestFingerprint !== request.row.requestFingerprint) {
      throw conflictWith(`A different ${request.what} is already recorded for ${record.caseRef}`, { recorded: await request.view(record) });
    }
    if (request.startsWhile?.(record) ?? true) {
      await this.start(record.workflowId, request.handoff(record));
    }
    return { record, created: (inserted.raw as unknown[]).length > 0 };
  }

  /** Starts the workflow, or finds it running or closed. */
  private async start<T extends WorkflowType<Workflow>>(workflowId: string, handoff: HandoffStart<T>): Promise<void> {
    try {
      await this.temporal.temporalClient.workflow.start(handoff.workflow.name, {
        workflowId,
        taskQueue: taskQueueOf(handoff.owner),
        args: [{ steps: this.policies.stepPolicy, ...handoff.input }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        staticSummary: handoff.staticSummary,
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
        throw error;
      }
    }
  }

  /**
   * A caseworker completes an open task of this domain's inbox: the decision goes to the workflow as an
   * Update, whose validator accepts or refuses it at once; the answer comes when the workflow has closed
   * the task. Unknown task: 404; closed, or claimed by someone else: 409 with the task; refused as
   * already completed: 409 with the task as the workflow recorded it.
   */
  async completeTask<Ret, Args extends [unknown, ...unknown[]]>(completion: TaskCompletion<Ret, Args>): Promise<{ task: InboxTask; result: Ret }> {
    const { taskId, task: kind, actor } = completion;
    const task = await this.findTask(taskId, kind);
    const name = kind.name.charAt(0).toUpperCase() + kind.name.slice(1);
    if (task.state !== 'open') {
      throw conflictWith(`${name} ${taskId} is ${task.state}`, { recorded: inboxTaskView(task) });
    }
    if (task.claimedBy && task.claimedBy !== actor.caseworkerId) {
      throw conflictWith(`${name} ${taskId} is claimed by ${task.claimedBy}`, { recorded: inboxTaskView(task) });
    }
    let result: Ret;
    try {
      result = await this.temporal.temporalClient.workflow.getHandle(task.workflowId).executeUpdate(completion.update, { args: completion.args(task) });
    } catch (error) {
      throw await refused(error, completion.conflicts, async () => ({ recorded: inboxTaskView(await this.closedTask(task)) }));
    }
    // Answered once the inbox shows it: the workflow, the row's one writer, closes the task next.
    await this.closedTask(task);
    return { task, result };
  }

  /** Sends a decision that is not an inbox task's (a schedule, a withdrawal, a deadline change) to its workflow. */
  async update<Ret, Args extends [unknown, ...unknown[]]>(sent: HandoffUpdate<Ret, Args>): Promise<Ret> {
    try {
      return await this.temporal.temporalClient.workflow.getHandle(sent.workflowId).executeUpdate(sent.update, { args: sent.args });
    } catch (error) {
      throw await refused(error, sent.conflicts, sent.recorded);
    }
  }

  private async findTask(taskId: string, kind: InboxTaskKind): Promise<InboxTask> {
    const task = await this.dataSource.getRepository(InboxTask).findOneBy({
      id: taskId,
      ...(kind.kind ? { kind: kind.kind } : {}),
      ...(kind.process ? { process: kind.process } : {}),
    });
    if (!task || (kind.kindPrefix && !task.kind.startsWith(kind.kindPrefix))) {
      throw new NotFoundException(`No ${kind.name} ${taskId}`);
    }
    return task;
  }

  /**
   * The task once the workflow has closed it, through the inbox activity on this domain's queue, after
   * it took a decision. Waits a while for it (the decision is durable either way); else the task as it stands.
   */
  private async closedTask(task: InboxTask): Promise<InboxTask> {
    const tasks = this.dataSource.getRepository(InboxTask);
    const until = Date.now() + CLOSE_WAIT_MS;
    for (let pause = 20; Date.now() < until; pause = Math.min(pause * 2, 250)) {
      const current = await tasks.findOneBy({ id: task.id });
      if (current && current.state !== 'open') return current;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    return (await tasks.findOneBy({ id: task.id })) ?? task;
  }
}
