import { Controller, Logger } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AGENCY_TRANSPORT_PATTERNS, agencyDecisionProblems, type AgencyAnswer, type AgencyDecision } from '@handoffs/contracts';
import { agencyAnswerReceived } from '@handoffs/workflows/messages';
import { AgencyAnswerListener, isUuid, wireFields } from '../agency-link/agency-answer-listener';
import { AgencyDecisionRecord, REFERRALS, type AgencySubmission, type ReferralKey } from './agency-referral.entities';

/** The shape of an answer off the wire, or the reasons it is not one. */
export function parseAgencyAnswer(payload: unknown): AgencyAnswer | string[] {
  const raw = wireFields(payload);
  const problems: string[] = [];
  if (!isUuid(raw.referralId)) problems.push('referralId must be a UUID');
  if (!Number.isInteger(raw.round) || (raw.round as number) < 1) problems.push('round must be a positive integer');
  if (typeof raw.decidedAt !== 'string' || Number.isNaN(Date.parse(raw.decidedAt))) problems.push('decidedAt must be an ISO timestamp');
  const decision = raw.decision as AgencyDecision | undefined;
  const valid = typeof decision === 'object' && decision !== null ? decision : undefined;
  problems.push(...agencyDecisionProblems(valid));
  if (!valid || problems.length > 0) return problems;
  const { outcome, refusalReason, missing } = valid;
  return {
    referralId: raw.referralId as string,
    round: raw.round as number,
    decidedAt: new Date(raw.decidedAt as string).toISOString(),
    decision: { outcome, ...(refusalReason ? { refusalReason } : {}), ...(missing ? { missing: [...missing] } : {}) },
  };
}

/** The agency's answers to referrals, relayed to the referral's workflow. */
@Controller()
export class AgencyAnswerController extends AgencyAnswerListener<ReferralKey, AgencyAnswer, AgencySubmission, AgencyDecisionRecord> {
  protected readonly logger = new Logger('AgencyAnswers');
  protected readonly exchange = REFERRALS;
  protected readonly unknownRequest = 'unknown-referral';
  protected readonly signal = agencyAnswerReceived;

  protected recordOf({ decision, decidedAt }: AgencyAnswer): QueryDeepPartialEntity<AgencyDecisionRecord> {
    return { outcome: decision.outcome, refusalReason: decision.refusalReason ?? null, missing: decision.missing ?? null, decidedAt: new Date(decidedAt) };
  }

  protected answerOf(key: ReferralKey, recorded: AgencyDecisionRecord): AgencyAnswer {
    return {
      ...key,
      decidedAt: recorded.decidedAt.toISOString(),
      decision: {
        outcome: recorded.outcome,
        ...(recorded.refusalReason ? { refusalReason: recorded.refusalReason } : {}),
        ...(recorded.missing ? { missing: recorded.missing } : {}),
      },
    };
  }

  @MessagePattern(AGENCY_TRANSPORT_PATTERNS.answer)
  async answer(@Payload() payload: unknown): Promise<{ received: true } & ReferralKey> {
    return this.relay(parseAgencyAnswer(payload));
  }
}
