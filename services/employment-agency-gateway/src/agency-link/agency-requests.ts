import type { DataSource, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { TransferRecord } from '@handoffs/contracts';
import { logTransfer } from '@handoffs/handoff-records';
import { agencySendFailure } from './agency-link';
import type { AgencyAnswerRecord, AgencyExchange, AgencyRequestRecord } from './agency-records';

/** A request on its way to the agency, from a workflow's submission. */
export interface AgencySending<Key extends ObjectLiteral, Request extends AgencyRequestRecord, Receipt> {
  workflowId: string;
  receivedTransfer: TransferRecord;
  request: Key & { caseRef: string };
  /** What the gateway records of this kind of request beyond the key, the case and the workflow. */
  columns?: QueryDeepPartialEntity<Request>;
  /** Sends the request over the link and resolves with the agency's receipt. */
  send(): Promise<Receipt>;
}

/**
 * Records the request (once per key) with the receipt of its data, then sends it to the agency and
 * counts the send. Sending again is safe: the agency treats a request with the same key as the same one.
 */
export async function recordAndSend<Key extends ObjectLiteral, Request extends AgencyRequestRecord, Receipt>(
  dataSource: DataSource,
  exchange: AgencyExchange<Key, Request, AgencyAnswerRecord>,
  sending: AgencySending<Key, Request, Receipt>,
): Promise<Receipt> {
  const key = exchange.keyOf(sending.request);
  await dataSource.transaction(async (manager) => {
    await logTransfer(manager, sending.receivedTransfer);
    await manager
      .createQueryBuilder()
      .insert()
      .into(exchange.requests)
      .values({ ...key, caseRef: sending.request.caseRef, workflowId: sending.workflowId, ...sending.columns })
      .orIgnore()
      .execute();
  });
  let receipt: Receipt;
  try {
    receipt = await sending.send();
  } catch (error) {
    throw agencySendFailure(exchange.nameOf(key), error);
  }
  await dataSource
    .getRepository<AgencyRequestRecord>(exchange.requests)
    .update(key, { acknowledgedAt: () => 'COALESCE(acknowledged_at, now())', sendCount: () => 'send_count + 1' });
  return receipt;
}
