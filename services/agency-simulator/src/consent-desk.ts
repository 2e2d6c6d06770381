import { Inject, Injectable } from '@nestjs/common';
import {
  AGENCY_TRANSPORT_PATTERNS,
  type AgencyConsentAnswer,
  type AgencyConsentReceipt,
  type AgencyConsentRequest,
} from '@handoffs/contracts';
import { AnsweringDesk } from './answering-desk';
import { assessConsent } from './consent-criteria';
import { SIMULATOR_SETTINGS, type SimulatorSettings } from './settings';

/** The simulated agency's staff member who decides on consent requests. */
export const CONSENT_DESK_STAFF_ID = 'ba.consent-desk';

/**
 * The simulated agency's consent desk: decides by its rules, and for some employers stays silent. A
 * repeated request (same ID) is the same request.
 */
@Injectable()
export class ConsentDesk extends AnsweringDesk<AgencyConsentRequest, AgencyConsentAnswer> {
  constructor(@Inject(SIMULATOR_SETTINGS) settings: SimulatorSettings) {
    super(settings, { name: 'ConsentDesk', takes: 'consent request', answerPattern: AGENCY_TRANSPORT_PATTERNS.consentAnswer });
  }

  /** Answers the gateway has not acknowledged yet. */
  get pending(): number {
    return this.unacknowledgedAnswers;
  }

  request(request: AgencyConsentRequest): AgencyConsentReceipt {
    this.take(request);
    return { consentRequestId: request.consentRequestId, receivedAt: new Date().toISOString() };
  }

  protected keyOf(request: AgencyConsentRequest): string {
    return request.consentRequestId;
  }

  protected answerTo(request: AgencyConsentRequest): AgencyConsentAnswer | null {
    const assessment = assessConsent(request);
    if (assessment.outcome === 'SILENT') return null;
    return {
      consentRequestId: request.consentRequestId,
      outcome: assessment.outcome,
      ...(assessment.outcome === 'OBJECTION' ? { objectionReason: assessment.objectionReason } : {}),
      decidedBy: CONSENT_DESK_STAFF_ID,
      decidedAt: new Date().toISOString(),
    };
  }

  protected outcomeOf(answer: AgencyConsentAnswer): [string, string?] {
    return [answer.outcome, answer.objectionReason];
  }
}
