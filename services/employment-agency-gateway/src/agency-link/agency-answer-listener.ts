import { Injectable, type Logger } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { DataSource, type ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TemporalWorkerHost } from '@handoffs/temporal';
import type { AgencyAnswerRecord, AgencyExchange, AgencyRequestRecord } from './agency-records';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A message off the wire, as an object to read its fields from. */
export function wireFields(payload: unknown): Record<string, unknown> {
  return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * The gateway's listener for one kind of the agency's answers, some time after the request. The first
 * answer per request counts: it is recorded, relayed to the request's workflow as a Signal, and only
 * then acknowledged, so the agency sends again until it is.
 */
@Injectable()
export abstract class AgencyAnswerListener<
  Key extends ObjectLiteral,
  Answer extends Key,
  Request extends AgencyRequestRecord,
  Recorded extends AgencyAnswerRecord,
> {
  protected abstract readonly logger: Logger;
  protected abstract readonly exchange: AgencyExchange<Key, Request, Recorded>;
  /** The status of the refusal of an answer to a request the gateway never sent. */
  protected abstract readonly unknownRequest: string;
  protected abstract readonly signal: SignalDefinition<[Answer]>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly temporal: TemporalWorkerHost,
  ) {}

  /** The answer's columns, but for its key. */
  protected abstract recordOf(answer: Answer): QueryDeepPartialEntity<Recorded>;

  /** The answer as the gateway recorded it. */
  protected abstract answerOf(key: Key, recorded: Recorded): Answer;

  /** Records the answer (parsed off the wire, or the reasons it is not one) and relays it to the workflow. */
  protected async relay(parsed: Answer | string[]): Promise<{ received: true } & Key> {
    if (Array.isArray(parsed)) {
      this.logger.warn(`Refused an answer from the agency: ${parsed.join('; ')}`);
      throw new RpcException({ status: 'invalid', problems: parsed });
    }
    const key = this.exchange.keyOf(parsed);
    const request = await this.dataSource.getRepository<AgencyRequestRecord>(this.exchange.requests).findOneBy(key);
    if (!request) {
      throw new RpcException({ status: this.unknownRequest, ...key });
    }
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(this.exchange.answers)
      .values({ ...key, ...this.recordOf(parsed) })
      .orIgnore()
      .execute();
    const recorded = await this.dataSource.getRepository<Recorded>(this.exchange.answers).findOneByOrFail(key);
    const answer = this.answerOf(key, recorded);
    const name = this.exchange.nameOf(key);
    try {
      await this.temporal.temporalClient.workflow.getHandle(request.workflowId).signal(this.signal, answer);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      this.logger.warn(`The ${name} of ${request.caseRef} has no running workflow; answer kept`);
    }
    this.logger.log(`Agency answer ${recorded.outcome} for ${request.caseRef} (${name}) relayed`);
    return { received: true, ...key };
  }
}
