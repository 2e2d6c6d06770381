import { ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import type { Duration } from '@temporalio/common';
import type { Actor, DeadlineChange, DeadlineChangeRequest, DeadlineView, Domain } from '@handoffs/contracts';
import { changeDeadline } from '@handoffs/workflows/messages';
import { ESCALATION_LADDER } from './escalation';

/**
 * A handoff's deadline: set from the SLA policy, extended or suspended with a reason by the domain
 * the step waits on, and moved on by one step at each escalation.
 */
export class HandoffDeadline {
  private dueAtMs: number;
  private remainingWhileSuspendedMs: number | null = null;
  private version = 0;
  private breaches = 0;
  readonly changes: DeadlineChange[] = [];

  constructor(private readonly stepMs: number) {
    this.dueAtMs = Date.now() + stepMs;
  }

  get dueAt(): Date | null {
    return this.remainingWhileSuspendedMs === null ? new Date(this.dueAtMs) : null;
  }

  /** The due date as last set, also while suspended: what an inbox task shows. */
  get scheduledDueAt(): Date {
    return new Date(this.dueAtMs);
  }

  get suspended(): boolean {
    return this.remainingWhileSuspendedMs !== null;
  }

  view(): DeadlineView {
    return { dueAt: this.dueAt?.toISOString() ?? null, suspended: this.suspended, changes: [...this.changes] };
  }

  /** After a breach: the next level gets one more step. */
  nextStep(): void {
    this.breaches += 1;
    this.dueAtMs = Date.now() + this.stepMs;
    this.version += 1;
  }

  /**
   * Whether a passed deadline escalates further. Nobody is above the top of the ladder (the head of
   * department): once its step has passed too, the handoff stays stuck at that level until it is done.
   */
  mayEscalate(): boolean {
    return !(this.breaches >= ESCALATION_LADDER.length - 1 && patched('escalation-stops-at-the-top'));
  }

  apply(change: DeadlineChange): void {
    if (change.action === 'extend') {
      this.dueAtMs += msToNumber(change.extendBy as Duration);
    } else if (change.action === 'suspend') {
      this.remainingWhileSuspendedMs = Math.max(this.dueAtMs - Date.now(), 0);
    } else {
      this.dueAtMs = Date.now() + (this.remainingWhileSuspendedMs ?? 0);
      this.remainingWhileSuspendedMs = null;
    }
    this.changes.push(change);
    this.version += 1;
  }

  /** Reasons a change cannot be made now (empty when it can). */
  problemsWith(change: DeadlineChangeRequest): string[] {
    const problems: string[] = [];
    if (!change.reason || change.reason.trim().length < 3) problems.push('a reason is required');
    if (change.action === 'extend') {
      if (this.suspended) problems.push('the deadline is suspended; resume it first');
      let ms = Number.NaN;
      try {
        ms = msToNumber(change.extendBy as Duration);
      } catch {
        // reported below
      }
      if (!(ms > 0)) problems.push('extendBy must be a positive duration, e.g. "3 days"');
    }
    if (change.action === 'suspend' && this.suspended) problems.push('the deadline is already suspended');
    if (change.action === 'resume' && !this.suspended) problems.push('the deadline is not suspended');
    return problems;
  }

  /** Waits until `done()` holds (true) or the deadline passes (false), following every change meanwhile. */
  async waitFor(done: () => boolean): Promise<boolean> {
    for (;;) {
      if (done()) return true;
      const seen = this.version;
      const changedOrDone = () => done() || this.version !== seen;
      if (this.suspended) {
        await condition(changedOrDone);
        continue;
      }
      const remaining = this.dueAtMs - Date.now();
      if (remaining <= 0 && !this.mayEscalate()) {
        await condition(changedOrDone);
        continue;
      }
      if (remaining <= 0) return false;
      if (!(await condition(changedOrDone, remaining)) && !done() && this.mayEscalate()) return false;
    }
  }
}

/**
 * Lets the domain a step waits on extend, suspend or resume its deadline through the `changeDeadline`
 * Update; `waitingOn()` says which domain that is now (null: nobody, no change allowed).
 */
export function handleDeadlineChanges(deadline: HandoffDeadline, waitingOn: () => Domain | null, onChange: () => void): void {
  setHandler(
    changeDeadline,
    (change: DeadlineChangeRequest) => {
      deadline.apply({ ...change, at: new Date(Date.now()).toISOString() });
      onChange();
      return deadline.view();
    },
    {
      validator: (change: DeadlineChangeRequest) => {
        const domain = waitingOn();
        if (!domain) {
          throw ApplicationFailure.nonRetryable('Nobody is waited on: there is no deadline to change', 'NoDeadline');
        }
        if ((change.by as Actor | undefined)?.domain !== domain) {
          throw ApplicationFailure.nonRetryable(`Only ${domain}, which this step waits on, may change its deadline`, 'WrongDomain');
        }
        const problems = deadline.problemsWith(change);
        if (problems.length > 0) {
          throw ApplicationFailure.nonRetryable(`Invalid deadline change: ${problems.join('; ')}`, 'InvalidDeadlineChange');
        }
      },
    },
  );
}
