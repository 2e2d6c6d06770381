import { Controller, Logger } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { AGENCY_TRANSPORT_PATTERNS, agencyConsentAnswerProblems, type AgencyConsentAnswer } from '@handoffs/contracts';
import { TemporalWorkerHost } from '@handoffs/temporal';
import { agencyConsentAnswered } from '@handoffs/workflows/messages';
import { AgencyConsentAnswerRecord, AgencyConsentRequestRecord } from './agency-consent.entities';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The shape of a consent answer off the wire, or the reasons it is not one. */
export function parseAgencyConsentAnswer(payload: unknown): AgencyConsentAnswer | string[] {
  const raw = (typeof payload === 'object' && payload !== null ? payload : {}) as Partial<AgencyConsentAnswer>;
  const problems: string[] = [];
  if (typeof raw.consentRequestId !== 'string' || !UUID.test(raw.consentRequestId)) problems.push('consentRequestId must be a UUID');
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

/**
 * The gateway's listener for the agency's answers on consent requests (§ 39 AufenthG). The first
 * answer per request counts; it is recorded, relayed to the status clarification's workflow as a
 * Signal, and only then acknowledged, so the agency sends again until it is.
 */
@Controller()
export class AgencyConsentAnswerController {
  private readonly logger = new Logger('AgencyConsentAnswers');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalWorkerHost,
  ) {}

  @MessagePattern(AGENCY_TRANSPORT_PATTERNS.consentAnswer)
  async answer(@Payload() payload: unknown): Promise<{ received: true; consentRequestId: string }> {
    const parsed = parseAgencyConsentAnswer(payload);
    if (Array.isArray(parsed)) {
      this.logger.warn(`Refused a consent answer from the agency: ${parsed.join('; ')}`);
      throw new RpcException({ status: 'invalid', problems: parsed });
    }
    const key = { consentRequestId: parsed.consentRequestId };
    const request = await this.dataSource.getRepository(AgencyConsentRequestRecord).findOneBy(key);
    if (!request) {
      throw new RpcException({ status: 'unknown-consent-request', ...key });
    }
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(AgencyConsentAnswerRecord)
      .values({
        ...key,
        outcome: parsed.outcome,
        objectionReason: parsed.objectionReason ?? null,
        decidedBy: parsed.decidedBy,
        decidedAt: new Date(parsed.decidedAt),
      })
      .orIgnore()
      .execute();
    const recorded = await this.dataSource.getRepository(AgencyConsentAnswerRecord).findOneByOrFail(key);
    const answer: AgencyConsentAnswer = {
      ...key,
      outcome: recorded.outcome,
      ...(recorded.objectionReason ? { objectionReason: recorded.objectionReason } : {}),
      decidedBy: recorded.decidedBy,
      decidedAt: recorded.decidedAt.toISOString(),
    };
    try {
      await this.temporal.temporalClient.workflow.getHandle(request.workflowId).signal(agencyConsentAnswered, answer);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      this.logger.warn(`The consent request ${key.consentRequestId} of ${request.caseRef} has no running workflow; answer kept`);
    }
    this.logger.log(`Agency consent answer ${answer.outcome} for ${request.caseRef} (request ${key.consentRequestId}) relayed`);
    return { received: true, ...key };
  }
}
