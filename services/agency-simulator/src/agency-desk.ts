import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ClientTCP } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import { AGENCY_TRANSPORT_PATTERNS, type AgencyAnswer, type AgencyReceipt, type AgencyReferral } from '@handoffs/contracts';
import { assessReferral } from './entry-criteria';
import type { SimulatorSettings } from './settings';

export const SIMULATOR_SETTINGS = Symbol('SIMULATOR_SETTINGS');

interface Submission {
  /** Kept only until the decision; the simulated agency keeps no personal data afterwards. */
  referral: AgencyReferral | null;
  caseRef: string;
  answer: AgencyAnswer | null;
  acknowledged: boolean;
  sending: boolean;
}

/**
 * The simulated agency's desk: takes a referral at once (a receipt), decides after the configured
 * delay by its entry criteria, and sends the answer to the gateway until the gateway acknowledges it.
 * A repeated submission (same referral ID and round) is the same referral: it gets the same answer.
 * Memory only: what was pending when the simulator stopped is decided when the gateway sends it again.
 */
@Injectable()
export class AgencyDesk implements OnApplicationShutdown {
  private readonly logger = new Logger('AgencyDesk');
  private readonly submissions = new Map<string, Submission>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly gateway: ClientTCP;
  private closed = false;

  constructor(@Inject(SIMULATOR_SETTINGS) private readonly settings: SimulatorSettings) {
    this.gateway = new ClientTCP({ host: settings.gatewayHost, port: settings.gatewayPort });
  }

  get pending(): number {
    return [...this.submissions.values()].filter((s) => !s.acknowledged).length;
  }

  /** Set up to fail (AGENCY_FAILING_PROGRAMMES): the intake answers with an error. */
  failsIntakeFor(programme: AgencyReferral['programme']): boolean {
    return this.settings.failingProgrammes.includes(programme);
  }

  submit(referral: AgencyReferral): AgencyReceipt {
    const key = `${referral.referralId}:${referral.round}`;
    const known = this.submissions.get(key);
    if (known) {
      this.logger.log(`Referral ${referral.referralId} round ${referral.round} (${known.caseRef}) received again: the same referral`);
      if (known.answer && !known.sending) this.send(known);
    } else {
      const submission: Submission = { referral, caseRef: referral.caseRef, answer: null, acknowledged: false, sending: false };
      this.submissions.set(key, submission);
      if (this.settings.silentProgrammes.includes(referral.programme)) {
        // Set up to stay silent (AGENCY_SILENT_PROGRAMMES): taken, never answered.
        submission.referral = null;
        this.logger.log(`Referral ${referral.referralId} round ${referral.round} (${referral.caseRef}) received; this desk stays silent`);
      } else {
        this.logger.log(`Referral ${referral.referralId} round ${referral.round} (${referral.caseRef}) received; deciding in ${this.settings.answerDelayMs} ms`);
        this.later(() => this.decide(submission), this.settings.answerDelayMs);
      }
    }
    return { referralId: referral.referralId, round: referral.round, receivedAt: new Date().toISOString() };
  }

  private decide(submission: Submission): void {
    const referral = submission.referral;
    if (!referral) return;
    const decision = assessReferral(referral, new Date().toISOString().slice(0, 10), this.settings.fullProgrammes);
    submission.answer = { referralId: referral.referralId, round: referral.round, decision, decidedAt: new Date().toISOString() };
    submission.referral = null;
    this.logger.log(`Decided ${decision.outcome}${decision.refusalReason ? ` (${decision.refusalReason})` : ''} on referral ${referral.referralId} round ${referral.round}`);
    this.send(submission);
  }

  private send(submission: Submission): void {
    if (this.closed || !submission.answer) return;
    submission.sending = true;
    firstValueFrom(this.gateway.send(AGENCY_TRANSPORT_PATTERNS.answer, submission.answer).pipe(timeout(5000))).then(
      () => {
        submission.sending = false;
        submission.acknowledged = true;
        this.logger.log(`Answer on referral ${submission.answer?.referralId} round ${submission.answer?.round} acknowledged by the gateway`);
      },
      (error: unknown) => {
        const reason = error instanceof Error ? error.message : JSON.stringify(error);
        this.logger.warn(`The gateway did not take the answer on referral ${submission.answer?.referralId}: ${reason}; sending again`);
        this.later(() => this.send(submission), this.settings.answerRetryMs);
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
