import { Controller, Logger } from '@nestjs/common';
import { MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { AGENCY_TRANSPORT_PATTERNS, agencyDecisionProblems, type AgencyAnswer, type AgencyDecision } from '@handoffs/contracts';
import { TemporalWorkerHost } from '@handoffs/temporal';
import { agencyAnswerReceived } from '@handoffs/workflows/messages';
import { AgencyDecisionRecord, AgencySubmission } from './agency-referral.entities';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The shape of an answer off the wire, or the reasons it is not one. */
export function parseAgencyAnswer(payload: unknown): AgencyAnswer | string[] {
  const raw = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof raw.referralId !== 'string' || !UUID.test(raw.referralId)) problems.push('referralId must be a UUID');
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

/**
 * The gateway's listener on the transport: the agency's answers arrive here, some time after the
 * referral. Each is recorded (the first answer per submission counts) and relayed to the referral's
 * workflow as a Signal. Only then is it acknowledged, so the agency sends again until it is.
 */
@Controller()
export class AgencyAnswerController {
  private readonly logger = new Logger('AgencyAnswers');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalWorkerHost,
  ) {}

  @MessagePattern(AGENCY_TRANSPORT_PATTERNS.answer)
  async answer(@Payload() payload: unknown): Promise<{ received: true; referralId: string; round: number }> {
    const parsed = parseAgencyAnswer(payload);
    if (Array.isArray(parsed)) {
      this.logger.warn(`Refused an answer from the agency: ${parsed.join('; ')}`);
      throw new RpcException({ status: 'invalid', problems: parsed });
    }
    const key = { referralId: parsed.referralId, round: parsed.round };
    const submission = await this.dataSource.getRepository(AgencySubmission).findOneBy(key);
    if (!submission) {
      throw new RpcException({ status: 'unknown-referral', ...key });
    }
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(AgencyDecisionRecord)
      .values({
        ...key,
        outcome: parsed.decision.outcome,
        refusalReason: parsed.decision.refusalReason ?? null,
        missing: parsed.decision.missing ?? null,
        decidedAt: new Date(parsed.decidedAt),
      })
      .orIgnore()
      .execute();
    const recorded = await this.dataSource.getRepository(AgencyDecisionRecord).findOneByOrFail(key);
    const answer: AgencyAnswer = {
      ...key,
      decidedAt: recorded.decidedAt.toISOString(),
      decision: {
        outcome: recorded.outcome,
        ...(recorded.refusalReason ? { refusalReason: recorded.refusalReason } : {}),
        ...(recorded.missing ? { missing: recorded.missing } : {}),
      },
    };
    try {
      await this.temporal.temporalClient.workflow.getHandle(submission.workflowId).signal(agencyAnswerReceived, answer);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      this.logger.warn(`The referral ${key.referralId} of ${submission.caseRef} has no running workflow; answer kept`);
    }
    this.logger.log(`Agency answer ${answer.decision.outcome} for ${submission.caseRef} (referral ${key.referralId}, round ${key.round}) relayed`);
    return { received: true, ...key };
  }
}
