import { Inject, Injectable } from '@nestjs/common';
import { AGENCY_TRANSPORT_PATTERNS, type AgencyAnswer, type AgencyReceipt, type AgencyReferral } from '@handoffs/contracts';
import { AnsweringDesk } from './answering-desk';
import { assessReferral } from './entry-criteria';
import { SIMULATOR_SETTINGS, type SimulatorSettings } from './settings';

/**
 * The simulated agency's desk for referrals: decides by its entry criteria. A repeated submission (same
 * referral ID and round) is the same referral.
 */
@Injectable()
export class AgencyDesk extends AnsweringDesk<AgencyReferral, AgencyAnswer> {
  constructor(@Inject(SIMULATOR_SETTINGS) settings: SimulatorSettings) {
    super(settings, { name: 'AgencyDesk', takes: 'referral', answerPattern: AGENCY_TRANSPORT_PATTERNS.answer });
  }

  /** Referrals whose answer the gateway has not acknowledged yet, undecided and unanswered ones too. */
  get pending(): number {
    return this.unanswered + this.unacknowledgedAnswers;
  }

  /** Set up to fail (AGENCY_FAILING_PROGRAMMES): the intake answers with an error. */
  failsIntakeFor(programme: AgencyReferral['programme']): boolean {
    return this.settings.failingProgrammes.includes(programme);
  }

  submit(referral: AgencyReferral): AgencyReceipt {
    this.take(referral);
    return { referralId: referral.referralId, round: referral.round, receivedAt: new Date().toISOString() };
  }

  protected keyOf(referral: AgencyReferral): string {
    return `${referral.referralId} round ${referral.round}`;
  }

  /** Set up to stay silent (AGENCY_SILENT_PROGRAMMES): taken, never answered. */
  protected override staysSilentOn(referral: AgencyReferral): boolean {
    return this.settings.silentProgrammes.includes(referral.programme);
  }

  protected answerTo(referral: AgencyReferral): AgencyAnswer {
    const decision = assessReferral(referral, new Date().toISOString().slice(0, 10), this.settings.fullProgrammes);
    return { referralId: referral.referralId, round: referral.round, decision, decidedAt: new Date().toISOString() };
  }

  protected outcomeOf({ decision }: AgencyAnswer): [string, string?] {
    return [decision.outcome, decision.refusalReason];
  }
}
