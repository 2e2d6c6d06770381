import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ClientTCP } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import {
  AGENCY_TRANSPORT_PATTERNS,
  type AgencyConsentAnswer,
  type AgencyConsentReceipt,
  type AgencyConsentRequest,
} from '@handoffs/contracts';
import { SIMULATOR_SETTINGS } from './agency-desk';
import { assessConsent } from './consent-criteria';
import type { SimulatorSettings } from './settings';

/** The simulated agency's staff member who decides on consent requests. */
export const CONSENT_DESK_STAFF_ID = 'ba.consent-desk';

interface ConsentCase {
  /** Kept only until the decision; the simulated agency keeps no personal data afterwards. */
  request: AgencyConsentRequest | null;
  caseRef: string;
  answer: AgencyConsentAnswer | null;
  silent: boolean;
  acknowledged: boolean;
  sending: boolean;
}

/**
 * The simulated agency's consent desk: takes a request at once (a receipt), decides after the
 * configured delay by its rules, and sends the answer to the gateway until the gateway acknowledges
 * it; for some employers it stays silent. A repeated request (same ID) is the same request.
 */
@Injectable()
export class ConsentDesk implements OnApplicationShutdown {
  private readonly logger = new Logger('ConsentDesk');
  private readonly cases = new Map<string, ConsentCase>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly gateway: ClientTCP;
  private closed = false;

  constructor(@Inject(SIMULATOR_SETTINGS) private readonly settings: SimulatorSettings) {
    this.gateway = new ClientTCP({ host: settings.gatewayHost, port: settings.gatewayPort });
  }

  get pending(): number {
    return [...this.cases.values()].filter((c) => c.answer && !c.acknowledged).length;
  }

  request(request: AgencyConsentRequest): AgencyConsentReceipt {
    const known = this.cases.get(request.consentRequestId);
    if (known) {
      this.logger.log(`Consent request ${request.consentRequestId} (${known.caseRef}) received again: the same request`);
      if (known.answer && !known.sending) this.send(known);
    } else {
      const entry: ConsentCase = { request, caseRef: request.caseRef, answer: null, silent: false, acknowledged: false, sending: false };
      this.cases.set(request.consentRequestId, entry);
      this.logger.log(`Consent request ${request.consentRequestId} (${request.caseRef}) received; deciding in ${this.settings.answerDelayMs} ms`);
      this.later(() => this.decide(entry), this.settings.answerDelayMs);
    }
    return { consentRequestId: request.consentRequestId, receivedAt: new Date().toISOString() };
  }

  private decide(entry: ConsentCase): void {
    const request = entry.request;
    if (!request) return;
    entry.request = null;
    const assessment = assessConsent(request);
    if (assessment.outcome === 'SILENT') {
      entry.silent = true;
      this.logger.log(`Consent request ${request.consentRequestId}: no answer (left to lapse)`);
      return;
    }
    entry.answer = {
      consentRequestId: request.consentRequestId,
      outcome: assessment.outcome,
      ...(assessment.outcome === 'OBJECTION' ? { objectionReason: assessment.objectionReason } : {}),
      decidedBy: CONSENT_DESK_STAFF_ID,
      decidedAt: new Date().toISOString(),
    };
    this.logger.log(`Decided ${entry.answer.outcome}${entry.answer.objectionReason ? ` (${entry.answer.objectionReason})` : ''} on consent request ${request.consentRequestId}`);
    this.send(entry);
  }

  private send(entry: ConsentCase): void {
    if (this.closed || !entry.answer) return;
    entry.sending = true;
    firstValueFrom(this.gateway.send(AGENCY_TRANSPORT_PATTERNS.consentAnswer, entry.answer).pipe(timeout(5000))).then(
      () => {
        entry.sending = false;
        entry.acknowledged = true;
        this.logger.log(`Answer on consent request ${entry.answer?.consentRequestId} acknowledged by the gateway`);
      },
      (error: unknown) => {
        const reason = error instanceof Error ? error.message : JSON.stringify(error);
        this.logger.warn(`The gateway did not take the answer on consent request ${entry.answer?.consentRequestId}: ${reason}; sending again`);
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
