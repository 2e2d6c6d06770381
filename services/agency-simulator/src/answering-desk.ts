import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ClientTCP } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import type { SimulatorSettings } from './settings';

interface DeskCase<Request, Answer> {
  /** Kept only until the decision; the simulated agency keeps no personal data afterwards. */
  request: Request | null;
  /** How the log names it: IDs only. */
  name: string;
  caseRef: string;
  answer: Answer | null;
  acknowledged: boolean;
  sending: boolean;
}

/** What sets a desk apart in the log and on the transport. */
export interface DeskNames {
  /** The desk's name in the log. */
  name: string;
  /** What the desk takes, as the log names it: "referral", "consent request". */
  takes: string;
  /** The transport pattern on which the gateway takes this desk's answers. */
  answerPattern: string;
}

const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A desk of the simulated agency: takes a request at once (the caller gives the receipt), decides after
 * the configured delay, and sends the answer to the gateway until the gateway acknowledges it. A repeated
 * request (same key) is the same request: it gets the same answer. Memory only: what was pending when
 * the simulator stopped is decided when the gateway sends it again.
 */
export abstract class AnsweringDesk<Request extends { caseRef: string }, Answer> implements OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly cases = new Map<string, DeskCase<Request, Answer>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly gateway: ClientTCP;
  private closed = false;

  protected constructor(
    protected readonly settings: SimulatorSettings,
    private readonly desk: DeskNames,
  ) {
    this.logger = new Logger(desk.name);
    this.gateway = new ClientTCP({ host: settings.gatewayHost, port: settings.gatewayPort });
  }

  /** What makes two requests the same one; it also names the request in the log, so IDs only. */
  protected abstract keyOf(request: Request): string;

  /** The desk's answer to a request, or null where it leaves the request unanswered. */
  protected abstract answerTo(request: Request): Answer | null;

  /** The outcome of an answer and its reason, if any, as the log shows them. */
  protected abstract outcomeOf(answer: Answer): [outcome: string, reason?: string];

  /** Whether the desk takes this request and never decides on it. */
  protected staysSilentOn(_request: Request): boolean {
    return false;
  }

  /** Requests taken and not answered: still to be decided, or left unanswered. */
  get unanswered(): number {
    return [...this.cases.values()].filter((c) => !c.answer).length;
  }

  /** Answers the gateway has not acknowledged yet. */
  get unacknowledgedAnswers(): number {
    return [...this.cases.values()].filter((c) => c.answer && !c.acknowledged).length;
  }

  protected take(request: Request): void {
    const key = this.keyOf(request);
    const name = `${this.desk.takes} ${key}`;
    const known = this.cases.get(key);
    if (known) {
      this.logger.log(`${sentence(name)} (${known.caseRef}) received again: the same ${this.desk.takes}`);
      if (known.answer && !known.sending) this.send(known);
      return;
    }
    const entry: DeskCase<Request, Answer> = { request, name, caseRef: request.caseRef, answer: null, acknowledged: false, sending: false };
    this.cases.set(key, entry);
    if (this.staysSilentOn(request)) {
      entry.request = null;
      this.logger.log(`${sentence(name)} (${request.caseRef}) received; this desk stays silent`);
    } else {
      this.logger.log(`${sentence(name)} (${request.caseRef}) received; deciding in ${this.settings.answerDelayMs} ms`);
      this.later(() => this.decide(entry), this.settings.answerDelayMs);
    }
  }

  private decide(entry: DeskCase<Request, Answer>): void {
    const request = entry.request;
    if (!request) return;
    entry.request = null;
    const answer = this.answerTo(request);
    if (!answer) {
      this.logger.log(`${sentence(entry.name)}: no answer (left to lapse)`);
      return;
    }
    entry.answer = answer;
    const [outcome, reason] = this.outcomeOf(answer);
    this.logger.log(`Decided ${outcome}${reason ? ` (${reason})` : ''} on ${entry.name}`);
    this.send(entry);
  }

  private send(entry: DeskCase<Request, Answer>): void {
    if (this.closed || !entry.answer) return;
    entry.sending = true;
    firstValueFrom(this.gateway.send(this.desk.answerPattern, entry.answer).pipe(timeout(5000))).then(
      () => {
        entry.sending = false;
        entry.acknowledged = true;
        this.logger.log(`Answer on ${entry.name} acknowledged by the gateway`);
      },
      (error: unknown) => {
        const reason = error instanceof Error ? error.message : JSON.stringify(error);
        this.logger.warn(`The gateway did not take the answer on ${entry.name}: ${reason}; sending again`);
        this.later(() => this.send(entry), this.settings.answerRetryMs);
      },
    );
  }

  private later(step: () => void, ms: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      step();
    }, ms);
    this.timers.add(timer);
  }

  onApplicationShutdown(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.gateway.close();
  }
}
