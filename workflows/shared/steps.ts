import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  isCancellation,
  proxyActivities,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import {
  AGENCY_UNREACHABLE,
  DEFAULT_STEP_POLICY,
  DOMAIN_NAMES,
  taskQueueOf,
  type Domain,
  type HandoffRecordActivities,
  type StepPolicy,
} from '@handoffs/contracts';
import type { HandoffBoard, StepTrouble } from './handoff-visibility';

/** Each activity of a domain, described in plain words for its summary in the Web UI: never personal data. */
export type StepDescriptions<A> = {
  [K in keyof A]: A[K] extends (...args: infer P) => unknown ? (...args: P) => string : never;
};

export interface StepOptions {
  startToCloseTimeout: Duration;
  retry: { initialInterval: Duration; backoffCoefficient: number; maximumInterval: Duration };
  /** Failure types that mean an external system does not answer: `external-silent` rather than `step-failing`. */
  silentWhen?: readonly string[];
}

/** Writing a record in a domain's own database. */
export const RECORDING: StepOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * Sending to the employment agency's system through the gateway: retried until the agency takes it
 * (it may be down for a while); not reaching it at all means the agency is silent, not that the step fails.
 */
export const AGENCY_STEP: StepOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  silentWhen: [AGENCY_UNREACHABLE],
};

/** Bounds of the rounds after a step got stuck: its history stays short through an outage of days. */
const LONGEST_PICKUP_MS = 3600 * 1000;
const MOST_ATTEMPTS_PER_ROUND = 100;

/**
 * A handoff's steps in the domains' services. Each call is an activity on the domain's task queue
 * with a summary in plain words. A step the domain does not pick up within the policy's bound, or
 * one that keeps failing, marks the handoff stuck on the board and is tried again in rounds (the
 * activities are idempotent); when it gets through, the board clears. Domain refusals (non-retryable
 * failures) and cancellation pass through unchanged.
 */
export class DomainSteps {
  private readonly pickupWithinMs: number;
  private readonly failingAfterAttempts: number;

  constructor(
    private readonly board: HandoffBoard,
    policy: StepPolicy = DEFAULT_STEP_POLICY,
  ) {
    this.pickupWithinMs = msToNumber(policy.pickupWithin as Duration);
    this.failingAfterAttempts = policy.failingAfterAttempts;
  }

  /** The domain's activities, each run as a watched step. */
  at<A extends object>(domain: Domain, describe: StepDescriptions<A>, options: StepOptions = RECORDING): A {
    const entries = Object.keys(describe).map((name) => {
      const summaryOf = describe[name as keyof A] as (...args: unknown[]) => string;
      const run = (...args: unknown[]) => this.run(domain, name, summaryOf(...args), args, options);
      return [name, run];
    });
    return Object.fromEntries(entries) as A;
  }

  private async run(domain: Domain, activity: string, step: string, args: unknown[], options: StepOptions): Promise<unknown> {
    let trouble: ReturnType<HandoffBoard['trouble']> | undefined;
    let troubledSince: number | undefined;
    let attempts = 0;
    for (let round = 0; ; round++) {
      const maximumAttempts = Math.min(this.failingAfterAttempts * 2 ** round, MOST_ATTEMPTS_PER_ROUND);
      const activityOptions: ActivityOptions = {
        taskQueue: taskQueueOf(domain),
        startToCloseTimeout: options.startToCloseTimeout,
        scheduleToStartTimeout: Math.min(this.pickupWithinMs * 2 ** round, LONGEST_PICKUP_MS),
        retry: { ...options.retry, maximumAttempts },
        summary: `${DOMAIN_NAMES[domain]}: ${step}`,
      };
      const roundStarted = Date.now();
      try {
        const result = await proxyActivities<Record<string, (...a: unknown[]) => Promise<unknown>>>(activityOptions)[activity](...args);
        trouble?.clear();
        return result;
      } catch (error) {
        const kind = troubleOf(error, options.silentWhen ?? []);
        if (!kind) {
          trouble?.clear();
          throw error;
        }
        if (kind.reason !== 'domain-unavailable') attempts += maximumAttempts;
        troubledSince ??= roundStarted;
        const now: StepTrouble = { ...kind, domain, step, since: troubledSince, attempts };
        if (trouble) trouble.update(now);
        else trouble = this.board.trouble(now);
      }
    }
  }
}

function troubleOf(error: unknown, silentWhen: readonly string[]): Pick<StepTrouble, 'reason' | 'failureType'> | undefined {
  if (isCancellation(error) || !(error instanceof ActivityFailure)) return undefined;
  const cause = error.cause;
  if (cause instanceof TimeoutFailure && cause.timeoutType === 'SCHEDULE_TO_START') return { reason: 'domain-unavailable' };
  if (error.retryState !== 'MAXIMUM_ATTEMPTS_REACHED') return undefined;
  if (cause instanceof ApplicationFailure) {
    if (cause.nonRetryable) return undefined;
    const failureType = cause.type ?? 'Error';
    return { reason: silentWhen.includes(failureType) ? 'external-silent' : 'step-failing', failureType };
  }
  if (cause instanceof TimeoutFailure) return { reason: 'step-failing', failureType: `${cause.timeoutType} timeout` };
  return { reason: 'step-failing', failureType: cause?.name ?? 'unknown' };
}

/** The handoff records every domain keeps: inbox and transfer log. */
export const RECORD_STEPS: StepDescriptions<HandoffRecordActivities> = {
  openInboxTask: (task) => `open a "${task.kind}" task in its inbox`,
  closeInboxTask: (close) => `close the "${close.kind}" task (${close.state})`,
  recordTransfer: (entry) => `log the ${entry.direction} transfer "${entry.flowId}" (${entry.legalBasis})`,
};
