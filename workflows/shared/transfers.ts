import { workflowInfo } from '@temporalio/workflow';
import { fieldNamesOf, type Process, type TransferDirection, type TransferFlow, type TransferRecord } from '@handoffs/contracts';

/**
 * The transfer-log entry for `payload` crossing along `flow`, as seen by the sending or the
 * receiving side. Only the names of the fields are recorded, never their values.
 */
export function transferRecord(
  process: Process,
  caseRef: string,
  flow: TransferFlow,
  direction: TransferDirection,
  payload: object,
): TransferRecord {
  return {
    workflowId: workflowInfo().workflowId,
    caseRef,
    process,
    flowId: flow.id,
    direction,
    counterpart: direction === 'sent' ? flow.to : flow.from,
    legalBasis: flow.legalBasis,
    purpose: flow.purpose,
    fieldNames: fieldNamesOf(payload),
    occurredAt: new Date(Date.now()).toISOString(),
  };
}

/** The receiving side's entry for a transfer the sending side logged. */
export function received(sent: TransferRecord, flow: TransferFlow): TransferRecord {
  return { ...sent, direction: 'received', counterpart: flow.from };
}
