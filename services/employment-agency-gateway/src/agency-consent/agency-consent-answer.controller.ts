import { Controller, Logger } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AGENCY_TRANSPORT_PATTERNS, agencyConsentAnswerProblems, type AgencyConsentAnswer } from '@handoffs/contracts';
import { agencyConsentAnswered } from '@handoffs/workflows/messages';
import { AgencyAnswerListener, isUuid, wireFields } from '../agency-link/agency-answer-listener';
import {
  AgencyConsentAnswerRecord,
  CONSENT_REQUESTS,
  type AgencyConsentRequestRecord,
  type ConsentRequestKey,
} from './agency-consent.entities';

/** The shape of a consent answer off the wire, or the reasons it is not one. */
export function parseAgencyConsentAnswer(payload: unknown): AgencyConsentAnswer | string[] {
  const raw = wireFields(payload) as Partial<AgencyConsentAnswer>;
  const problems: string[] = [];
  if (!isUuid(raw.consentRequestId)) problems.push('consentRequestId must be a UUID');
  problems.push(...agencyConsentAnswerProblems(raw));
  if (problems.length > 0) return problems;
  return {
    consentRequestId: raw.consentRequestId as string,
    outcome: raw.outcome as AgencyConsentAnswer['outcome'],
    ...(raw.objectionReason ? { objectionReason: raw.objectionReason } : {}),
    decidedBy: raw.decidedBy as string,
    decidedAt: new Date(raw.decidedAt as string).toISOString(),
  };
}

/** The agency's answers on consent requests (§ 39 AufenthG), relayed to the status clarification's workflow. */
@Controller()
export class AgencyConsentAnswerController extends AgencyAnswerListener<
  ConsentRequestKey,
  AgencyConsentAnswer,
  AgencyConsentRequestRecord,
  AgencyConsentAnswerRecord
> {
  protected readonly logger = new Logger('AgencyConsentAnswers');
  protected readonly exchange = CONSENT_REQUESTS;
  protected readonly unknownRequest = 'unknown-consent-request';
  protected readonly signal = agencyConsentAnswered;

  protected recordOf(answer: AgencyConsentAnswer): QueryDeepPartialEntity<AgencyConsentAnswerRecord> {
    return { outcome: answer.outcome, objectionReason: answer.objectionReason ?? null, decidedBy: answer.decidedBy, decidedAt: new Date(answer.decidedAt) };
  }

  protected answerOf(key: ConsentRequestKey, recorded: AgencyConsentAnswerRecord): AgencyConsentAnswer {
    return {
      ...key,
      outcome: recorded.outcome,
      ...(recorded.objectionReason ? { objectionReason: recorded.objectionReason } : {}),
      decidedBy: recorded.decidedBy,
      decidedAt: recorded.decidedAt.toISOString(),
    };
  }

  @MessagePattern(AGENCY_TRANSPORT_PATTERNS.consentAnswer)
  async answer(@Payload() payload: unknown): Promise<{ received: true } & ConsentRequestKey> {
    return this.relay(parseAgencyConsentAnswer(payload));
  }
}
