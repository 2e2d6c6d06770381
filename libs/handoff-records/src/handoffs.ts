import { createHash } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowExecutionAlreadyStartedError, type Workflow } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { DataSource, type EntityTarget, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Actor, Process } from '@handoffs/contracts';
import { TemporalWorkerHost } from '@handoffs/temporal';
import { InboxTask } from './inbox-task.entity';
import { inboxTaskView } from './inbox-task.view';
import { conflictWith, refusalType, updateRefusal } from './refusals';

/** The columns every recorded request has: its case, its handoff, and what it asked (to tell a repeat from a different request). */
export interface RecordedRequest extends ObjectLiteral {
  caseRef: string;
  workflowId: string;
  requestFingerprint: string;
}

/** How a recorded request's handoff starts: the workflow type (from the messages), its domain's queue, its input. */
export interface HandoffStart<W extends Workflow> {
  workflowType: string;
  taskQueue: string;
  /** The workflow's input (every process takes one). */
  input: Parameters<W>[0];
  /** Plain words for the Web UI, never personal data. */
  staticSummary: string;
}

export interface HandoffRequest<Row extends RecordedRequest, W extends Workflow> {
  entity: EntityTarget<Row>;
  /** The request as it is kept: written once, before anything starts. */
  row: QueryDeepPartialEntity<Row> & Pick<RecordedRequest, 'caseRef' | 'requestFingerprint'>;
  /** What the request is called in a conflict: "A different <what> is already recorded for <caseRef>". */
  what: string;
  /** The recorded request as the 409 shows it. */
  view(record: Row): unknown;
  /** Whether the recorded request's handoff is still to be started; by default always (a start finds the running one). */
  startsWhile?(record: Row): boolean;
  handoff(record: Row): HandoffStart<W>;
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
 * and answers with what the workflow accepted; the workflow closes the task.
 */
@Injectable()
export class Handoffs {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalWorkerHost,
  ) {}

  /**
   * Keeps the request, then starts its handoff, so nothing submitted is lost: the same request again
   * finds the recorded one and its handoff (one per case, however often asked); a different request
   * under the same case reference is a 409 carrying the recorded one.
   */
  async recordAndStart<Row extends RecordedRequest, W extends Workflow>(request: HandoffRequest<Row, W>): Promise<Recorded<Row>> {
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
  private async start<W extends Workflow>(workflowId: string, handoff: HandoffStart<W>): Promise<void> {
    try {
      await this.temporal.temporalClient.workflow.start(handoff.workflowType, {
        workflowId,
        taskQueue: handoff.taskQueue,
        args: [handoff.input],
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
   * Update, whose validator accepts or refuses it at once. Unknown task: 404; closed, or claimed by
   * someone else: 409 with the task; refused as already completed: 409 with the task as the workflow
   * recorded it.
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
    try {
      const result = await this.temporal.temporalClient.workflow
        .getHandle(task.workflowId)
        .executeUpdate(completion.update, { args: completion.args(task) });
      return { task, result };
    } catch (error) {
      throw await refused(error, completion.conflicts, async () => ({ recorded: inboxTaskView(await this.closedTask(task)) }));
    }
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
   * The task once the workflow has closed it: after it refused a second completion, the first one's
   * close is on its way through the inbox activity. Waits a while for it; else the task as it stands.
   */
  private async closedTask(task: InboxTask): Promise<InboxTask> {
    const tasks = this.dataSource.getRepository(InboxTask);
    const until = Date.now() + CLOSE_WAIT_MS;
    for (let pause = 50; Date.now() < until; pause = Math.min(pause * 2, 500)) {
      const current = await tasks.findOneBy({ id: task.id });
      if (current && current.state !== 'open') return current;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
    return (await tasks.findOneBy({ id: task.id })) ?? task;
  }
}
