import { uuid4, workflowInfo } from '@temporalio/workflow';
import type { Actor, HandoffRecordActivities, Process } from '@handoffs/contracts';
import { escalationHolder } from './escalation';

/**
 * The escalation ladder's inbox side: at each missed deadline the next level gets a task of its own
 * in the waiting domain's inbox (`<task>-escalation-<level>`); all of them close with the step.
 */
export class EscalationTasks {
  private readonly opened: string[] = [];

  constructor(
    private readonly records: HandoffRecordActivities,
    private readonly process: Process,
    private readonly caseRef: string,
    private readonly task: string,
  ) {}

  async escalate(level: number, dueAt: Date, details: object = {}): Promise<void> {
    const kind = `${this.task}-escalation-${level}`;
    await this.records.openInboxTask({
      taskId: uuid4(),
      workflowId: workflowInfo().workflowId,
      caseRef: this.caseRef,
      process: this.process,
      kind,
      dueAt: dueAt.toISOString(),
      details: { escalatedTo: escalationHolder(level), level, ...details },
    });
    this.opened.push(kind);
  }

  /** Closes every escalation task opened so far, with the step's outcome. */
  async closeAll(state: 'completed' | 'withdrawn', resolution?: object, completedBy?: Actor): Promise<void> {
    const closedAt = new Date(Date.now()).toISOString();
    for (const kind of this.opened.splice(0)) {
      await this.records.closeInboxTask({ workflowId: workflowInfo().workflowId, kind, state, resolution, completedBy, closedAt });
    }
  }
}
