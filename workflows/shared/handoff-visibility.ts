import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import {
  CaseRef,
  DOMAIN_NAMES,
  DueAt,
  EscalationLevel,
  HandoffStage,
  OwningDomain,
  Stuck,
  StuckReason,
  WaitingOn,
  type Domain,
  type StuckReasonCode,
} from '@handoffs/contracts';
import { plainTime } from './escalation';

/** What a supervisor sees of a handoff's stage: never personal data. */
export interface HandoffVisibility {
  stage: string;
  /** The domain that must act now; null once nobody has to. */
  waitingOn: Domain | null;
  dueAt: Date | null;
  /** Set while the handoff is stuck in this stage (a deadline passed, the agency silent), cleared when it moves on. */
  stuckReason: StuckReasonCode | null;
  escalationLevel: number;
}

/** A step the workflow cannot get done: its domain does not pick it up, or it keeps failing. */
export interface StepTrouble {
  reason: Extract<StuckReasonCode, 'domain-unavailable' | 'step-failing' | 'external-silent'>;
  domain: Domain;
  /** The step in plain words, as in its activity summary. */
  step: string;
  since: number;
  /** For a failing step: how many attempts so far and the failure's type (never its message: it may quote data). */
  attempts?: number;
  failureType?: string;
}

/**
 * The handoff as supervisors see it in the Web UI: the search attributes and the plain-words current
 * details, kept true at every stage. A step in trouble overrides the stage's view (stuck, waiting on
 * the step's domain) until it gets through; then the stage's own view returns.
 */
export class HandoffBoard {
  private stageView: { visibility: HandoffVisibility; details: string } | undefined;
  private readonly troubles = new Map<number, StepTrouble>();
  private nextTroubleId = 0;

  constructor(
    private readonly caseRef: string,
    private readonly owner: Domain,
  ) {}

  /** Call at every stage. */
  publish(visibility: HandoffVisibility, details: string): void {
    this.stageView = { visibility, details };
    this.render();
  }

  /** Marks a step in trouble; the handle updates it while it lasts and clears it when the step gets through. */
  trouble(trouble: StepTrouble): { update(trouble: StepTrouble): void; clear(): void } {
    const id = this.nextTroubleId++;
    this.troubles.set(id, trouble);
    this.render();
    return {
      update: (now) => {
        this.troubles.set(id, now);
        this.render();
      },
      clear: () => {
        if (this.troubles.delete(id)) this.render();
      },
    };
  }

  /** The first step in trouble, if any. */
  get stepInTrouble(): StepTrouble | undefined {
    return this.troubles.values().next().value;
  }

  private render(): void {
    const stage = this.stageView ?? {
      visibility: { stage: 'STARTING', waitingOn: this.owner, dueAt: null, stuckReason: null, escalationLevel: 0 },
      details: 'Starting.',
    };
    const trouble = this.stepInTrouble;
    const visibility = trouble ? { ...stage.visibility, waitingOn: trouble.domain, stuckReason: trouble.reason } : stage.visibility;
    upsertSearchAttributes([
      { key: CaseRef, value: this.caseRef },
      { key: OwningDomain, value: this.owner },
      { key: HandoffStage, value: visibility.stage },
      { key: WaitingOn, value: visibility.waitingOn },
      { key: DueAt, value: visibility.dueAt },
      { key: Stuck, value: visibility.stuckReason !== null },
      { key: StuckReason, value: visibility.stuckReason },
      { key: EscalationLevel, value: visibility.escalationLevel },
    ]);
    setCurrentDetails(trouble ? `${troubleInPlainWords(trouble)}\n\nBefore that: ${stage.details}` : stage.details);
  }
}

export function troubleInPlainWords(trouble: StepTrouble): string {
  const domain = DOMAIN_NAMES[trouble.domain];
  const since = plainTime(trouble.since);
  switch (trouble.reason) {
    case 'domain-unavailable':
      return `Stuck (domain unavailable): the ${domain} has not picked up "${trouble.step}" since ${since}; its service seems to be down. The step runs as soon as it is back.`;
    case 'step-failing':
      return `Stuck (step failing): "${trouble.step}" at the ${domain} keeps failing since ${since} (${trouble.attempts} attempts, last failure: ${trouble.failureType ?? 'unknown'}); it is being retried.`;
    case 'external-silent':
      return `Stuck (external system silent): the ${domain}'s system does not answer "${trouble.step}" since ${since}; it is being retried.`;
  }
}
