import { HandoffStage, StuckReason, WaitingOn, addDays, dayOf, lastDayOfMonth, type Domain } from '@handoffs/contracts';
import {
  ANSWER_ALLOWED,
  ANSWER_NEEDS_CONSENT,
  PLANNED_EMPLOYMENT,
  REFERRED_SUBJECT,
  SUBJECT,
  dayOperation,
  deportationRequest,
  legalDomainTransferReport,
  newCaseRef,
  type E2eStack,
  type HttpAnswer,
} from '@handoffs/testing';

/** One thing a caseworker does; `run` says whether it is done (false: not possible yet, try again). */
interface Step {
  what: string;
  /** A caseworker's answer to a waiting handoff, rather than starting one: held back while the driver only starts. */
  answers?: boolean;
  run(): Promise<boolean>;
}

/** One case taken through its handoffs by caseworkers, step by step. */
export class Journey {
  next = 0;
  /** What went wrong at the last try of the current step, for the failure message. */
  trouble?: string;

  constructor(
    readonly name: string,
    readonly caseRef: string,
    readonly handoffIds: string[],
    readonly steps: Step[],
  ) {}

  get done(): boolean {
    return this.next >= this.steps.length;
  }

  get where(): string {
    return this.done ? 'all steps done' : `next: ${this.steps[this.next].what}${this.trouble ? ` (last try: ${this.trouble})` : ''}`;
  }
}

interface OpenTask {
  id: string;
  caseRef: string;
  details: Record<string, any>;
}

/** The inbox task lists the caseworkers work from: domain and task kind. */
const INBOXES: [Domain, string][] = [
  ['immigration', 'status-inquiry'],
  ['social-services', 'child-welfare-participation'],
  ['social-services', 'effective-date-confirmation'],
  ['job-centre', 'sgb-ii-decision'],
  ['job-centre', 'agency-information-request'],
];

const PARALLEL_CASES = 8;
const TODAY = dayOf(Date.now());

/**
 * Caseworkers at work, through the services' HTTP APIs only: they start handoffs, answer the tasks
 * in their inboxes and take the next step when the handoff allows it, and keep trying through
 * faults (a refused connection, a 5xx, a 409 while the handoff is not there yet are tried again).
 */
export class HandoffDriver {
  readonly journeys: Journey[] = [];
  /** While false, caseworkers only start handoffs; the handoffs then wait on them. */
  answering = false;
  /** How many answers caseworkers have given so far. */
  answered = 0;
  private inbox = new Map<string, Map<string, OpenTask>>();
  private seenTasks = new Map<string, string>();
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly stack: E2eStack) {}

  /** Keeps working in the background until stop(). */
  start(): void {
    this.running = (async () => {
      while (!this.stopped) {
        await this.pass();
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /**
   * A batch of `perProcess` cases of every kind: status clarifications answered by a caseworker,
   * ones that need the employment agency's consent (gateway and simulator), deportations,
   * legal-domain transfers (half of them recognised late, so an advance and a reimbursement claim
   * are recorded), and referrals to the agency after a clearance from the register.
   */
  addBatch(perProcess: number): Journey[] {
    const batch: Journey[] = [];
    for (let i = 0; i < perProcess; i++) {
      batch.push(
        this.statusClarification(),
        this.statusClarificationWithAgencyConsent(),
        this.deportation(),
        this.legalDomainTransfer(i % 2 === 0 ? 'timely' : 'late'),
        this.clearanceAndReferral(),
      );
    }
    this.journeys.push(...batch);
    return batch;
  }

  /** Every journey of `batch` has reached a step that waits on a caseworker's answer (or its end). */
  waitingOnCaseworkers(batch: Journey[]): boolean {
    return batch.every((journey) => journey.done || journey.steps[journey.next].answers);
  }

  /**
   * What of `batch` is not finished: handoffs that have not completed, with where each stands
   * (search attributes) and the case's next step; cases whose caseworkers still have a step to take.
   */
  async unfinished(batch: Journey[]): Promise<string[]> {
    const notCompleted = new Map<string, string>();
    for await (const workflow of this.stack.temporal.workflow.list({ query: "ExecutionStatus != 'Completed'" })) {
      const attributes = workflow.typedSearchAttributes;
      notCompleted.set(
        workflow.workflowId,
        `${workflow.status.name}, HandoffStage=${attributes.get(HandoffStage) ?? '-'}, WaitingOn=${attributes.get(WaitingOn) ?? '-'}, StuckReason=${attributes.get(StuckReason) ?? '-'}`,
      );
    }
    return batch.flatMap((journey) => [
      ...journey.handoffIds.filter((id) => notCompleted.has(id)).map((id) => `${id}: ${notCompleted.get(id)}; ${journey.where}`),
      ...(journey.done ? [] : [`${journey.name} ${journey.caseRef}: ${journey.where}`]),
    ]);
  }

  /** Handoffs of the namespace that have completed. */
  async completed(): Promise<number> {
    return (await this.stack.temporal.workflow.count("ExecutionStatus = 'Completed'")).count;
  }

  /** Handoffs of the namespace that are running now. */
  async inFlight(): Promise<number> {
    return (await this.stack.temporal.workflow.count("ExecutionStatus = 'Running'")).count;
  }

  private async pass(): Promise<void> {
    await this.readInboxes();
    const pending = this.journeys.filter((journey) => !journey.done);
    for (let i = 0; i < pending.length; i += PARALLEL_CASES) {
      if (this.stopped) return;
      await Promise.all(pending.slice(i, i + PARALLEL_CASES).map((journey) => this.advance(journey)));
    }
  }

  private async advance(journey: Journey): Promise<void> {
    while (!journey.done && (this.answering || !journey.steps[journey.next].answers)) {
      const step = journey.steps[journey.next];
      let done: boolean;
      try {
        done = await step.run();
      } catch (error) {
        journey.trouble = (error as Error).message;
        return;
      }
      if (!done) return;
      if (step.answers) this.answered += 1;
      journey.next += 1;
      journey.trouble = undefined;
    }
  }

  private async readInboxes(): Promise<void> {
    await Promise.all(
      INBOXES.map(async ([domain, kind]) => {
        try {
          const { status, body } = await this.stack.call(domain, 'GET', `/inbox/tasks?kind=${kind}`);
          if (status === 200) this.inbox.set(`${domain} ${kind}`, new Map((body as OpenTask[]).map((task) => [task.caseRef, task])));
        } catch {
          // the service is down: its inbox is read again on the next pass
        }
      }),
    );
  }

  /**
   * A caseworker answers the case's open task of `kind` in `domain`. An answer whose reply was lost
   * (the service died) is found recorded on the next try: 409 with the task completed.
   */
  private answer(journey: () => Journey, domain: Domain, kind: string, action: string, body: (task: OpenTask) => object): Step {
    return {
      what: `answer the ${kind} task (${domain})`,
      answers: true,
      run: async () => {
        const { caseRef } = journey();
        const key = `${caseRef} ${kind}`;
        const open = this.inbox.get(`${domain} ${kind}`)?.get(caseRef);
        if (open) this.seenTasks.set(key, JSON.stringify(open));
        const seen = this.seenTasks.get(key);
        if (!seen) return false;
        const task = JSON.parse(seen) as OpenTask;
        const reply = await this.stack.call(domain, 'POST', `/inbox/tasks/${task.id}/${action}`, body(task));
        return reply.status === 200 || (reply.status === 409 && reply.body?.recorded?.state === 'completed') || refused(journey(), reply);
      },
    };
  }

  /** Starting a handoff: 202, or 200 when an earlier try went through. */
  private starts(journey: () => Journey, what: string, domain: Domain, path: string, body: object): Step {
    return {
      what,
      run: async () => {
        const reply = await this.stack.call(domain, 'POST', path, body);
        return reply.status === 202 || reply.status === 200 || refused(journey(), reply);
      },
    };
  }

  private statusClarification(): Journey {
    const caseRef = newCaseRef('JC');
    const journey: Journey = new Journey('status clarification, answered by a caseworker', caseRef, [`status-clarification:${caseRef}`], [
      this.starts(() => journey, 'ask the immigration office', 'job-centre', '/status-clarifications', {
        caseRef,
        caseworkerId: 'jc.mueller',
        subject: SUBJECT,
        questions: ['employment-permitted', 'document-validity'],
      }),
      this.answer(() => journey, 'immigration', 'status-inquiry', 'answer', () => ({ caseworkerId: 'abh.schmidt', answer: ANSWER_ALLOWED })),
    ]);
    return journey;
  }

  private statusClarificationWithAgencyConsent(): Journey {
    const caseRef = newCaseRef('JC');
    const journey: Journey = new Journey("status clarification with the employment agency's consent", caseRef, [`status-clarification:${caseRef}`], [
      this.starts(() => journey, 'ask the immigration office, naming the planned employment', 'job-centre', '/status-clarifications', {
        caseRef,
        caseworkerId: 'jc.mueller',
        subject: SUBJECT,
        questions: ['employment-permitted'],
        plannedEmployment: PLANNED_EMPLOYMENT,
      }),
      this.answer(() => journey, 'immigration', 'status-inquiry', 'answer', () => ({ caseworkerId: 'abh.schmidt', answer: ANSWER_NEEDS_CONSENT })),
    ]);
    return journey;
  }

  private deportation(): Journey {
    const caseRef = newCaseRef('ABH');
    const stageOf = async () => (await this.stack.call('immigration', 'GET', `/deportations/${caseRef}`)).body?.stage as string | undefined;
    const journey: Journey = new Journey('deportation', caseRef, [`deportation:${caseRef}`], [
      this.starts(() => journey, 'open the deportation case', 'immigration', '/deportations', deportationRequest(caseRef)),
      this.answer(() => journey, 'social-services', 'child-welfare-participation', 'participation', () => ({ caseworkerId: 'ksd.becker', finding: 'no-concern' })),
      {
        what: 'set the date (after the participation is on record)',
        answers: true,
        run: async () => {
          const reply = await this.stack.call('immigration', 'POST', `/deportations/${caseRef}/schedule`, { caseworkerId: 'abh.vollzug', plannedAt: dayOperation() });
          return reply.status === 200 || ['SCHEDULED', 'EXECUTED'].includes((await stageOf()) ?? '') || refused(journey, reply);
        },
      },
      {
        what: 'record the departure',
        answers: true,
        run: async () => {
          const departedAt = new Date(Date.now() - 60_000).toISOString();
          const reply = await this.stack.call('immigration', 'POST', `/deportations/${caseRef}/execution`, { caseworkerId: 'abh.vollzug', departedAt, departure: 'deported' });
          return reply.status === 200 || (await stageOf()) === 'EXECUTED' || refused(journey, reply);
        },
      },
    ]);
    return journey;
  }

  private legalDomainTransfer(recognised: 'timely' | 'late'): Journey {
    const caseRef = newCaseRef('SA');
    // Late: the month the recognition took effect is over, and AsylbLG paid the next month too.
    const servedOn = recognised === 'timely' ? TODAY : addDays(TODAY, -35);
    const paidThrough = recognised === 'timely' ? lastDayOfMonth(TODAY) : lastDayOfMonth(addDays(lastDayOfMonth(servedOn), 1));
    const journey: Journey = new Journey(`legal-domain transfer (recognition known ${recognised})`, caseRef, [`legal-domain-transfer:${caseRef}`], [
      this.starts(() => journey, 'report the recognition', 'social-services', '/legal-domain-transfers', legalDomainTransferReport(caseRef, servedOn, paidThrough)),
      this.answer(() => journey, 'social-services', 'effective-date-confirmation', 'effective-date', () => ({ caseworkerId: 'sa.yilmaz', effectiveDate: servedOn })),
      this.answer(() => journey, 'job-centre', 'sgb-ii-decision', 'sgb-ii-decision', (task) => ({
        caseworkerId: 'jc.mueller',
        decision: { kind: 'award', from: task.details.sgb2Start, until: lastDayOfMonth(addDays(task.details.sgb2Start as string, 330)) },
      })),
    ]);
    return journey;
  }

  private clearanceAndReferral(): Journey {
    const caseRef = newCaseRef('JC');
    const azrNumber = `AZR-${caseRef.slice(8)}`;
    const journey: Journey = new Journey('clearance from the register, then a referral to the employment agency', caseRef, [`status-clarification:${caseRef}`, `agency-referral:${caseRef}`], [
      {
        what: 'record a current status in the register',
        run: async () => {
          const reply = await this.stack.call('immigration', 'PUT', `/residence-records/${azrNumber}`, {
            caseworkerId: 'abh.schmidt',
            familyName: SUBJECT.familyName,
            dateOfBirth: SUBJECT.dateOfBirth,
            status: ANSWER_ALLOWED,
          });
          return reply.status === 200 || refused(journey, reply);
        },
      },
      this.starts(() => journey, 'ask the immigration office (answered from the register)', 'job-centre', '/status-clarifications', {
        caseRef,
        caseworkerId: 'jc.mueller',
        subject: { ...SUBJECT, azrNumber },
        questions: ['employment-permitted'],
      }),
      {
        what: 'see the clearance at the job centre',
        run: async () => (await this.stack.call('job-centre', 'GET', `/status-clarifications/${caseRef}`)).body?.state === 'answered',
      },
      // Without a language level: the agency asks for it, and a job-centre caseworker supplies it.
      this.starts(() => journey, 'refer to the employment agency', 'job-centre', '/agency-referrals', {
        caseRef,
        caseworkerId: 'jc.mueller',
        programme: 'competence-assessment',
        subject: REFERRED_SUBJECT,
      }),
      this.answer(() => journey, 'job-centre', 'agency-information-request', 'agency-information', () => ({ caseworkerId: 'jc.mueller', information: { languageLevel: 'B1' } })),
    ]);
    return journey;
  }
}

/** Not done: remembers why, for the failure message. */
function refused(journey: Journey, reply: HttpAnswer): false {
  journey.trouble = `HTTP ${reply.status} ${reply.body?.detail ?? reply.body?.status ?? ''}`.trim();
  return false;
}
