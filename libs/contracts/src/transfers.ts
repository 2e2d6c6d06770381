import type { Process } from './case-ref';
import type { Domain } from './domains';

/**
 * The registered cross-domain flows (DOMAIN.md §5). Every transfer of personal data names one,
 * and with it its legal basis and purpose; the transfer logs on both sides record it.
 */
export interface TransferFlow {
  id: string;
  from: Domain;
  to: Domain;
  legalBasis: string;
  purpose: string;
}

export const TRANSFER_FLOWS = {
  statusInquiry: {
    id: 'P1-JC-ABH-INQUIRY',
    from: 'job-centre',
    to: 'immigration',
    legalBasis: '§ 69 Abs. 1 Nr. 1 SGB X',
    purpose: 'Status clarification before placement: the job centre asks whether residence status and work permission allow employment (SGB II §§ 7, 8)',
  },
  statusAnswer: {
    id: 'P1-ABH-JC-ANSWER',
    from: 'immigration',
    to: 'job-centre',
    legalBasis: 'Art. 6 Abs. 1 lit. e DSGVO i. V. m. DSG NRW (Übermittlung an öffentliche Stellen)',
    purpose: 'Status clarification before placement: status facts only, for the job centre\'s eligibility and placement decision',
  },
  statusChangeNotice: {
    id: 'P1-ABH-SA-STATUS-CHANGE',
    from: 'immigration',
    to: 'social-services',
    legalBasis: '§ 90 Abs. 3 AufenthG; § 11 Abs. 3 AsylbLG',
    purpose: 'A status change that ends AsylbLG entitlement, so that social services starts the legal-domain transfer (DOMAIN.md P3a step 1)',
  },
} as const satisfies Record<string, TransferFlow>;

export type TransferDirection = 'sent' | 'received';

/** One transfer of personal data as both sides' transfer logs record it: the flow, never the values. */
export interface TransferRecord {
  workflowId: string;
  caseRef: string;
  process: Process;
  flowId: string;
  direction: TransferDirection;
  counterpart: Domain;
  legalBasis: string;
  purpose: string;
  fieldNames: string[];
  occurredAt: string;
}

/** The names of the top-level and nested fields of a payload, e.g. `subject.familyName`: what the log records. */
export function fieldNamesOf(payload: object, prefix = ''): string[] {
  return Object.entries(payload)
    .filter(([, value]) => value !== undefined && value !== null)
    .flatMap(([key, value]) =>
      typeof value === 'object' && !Array.isArray(value)
        ? fieldNamesOf(value as object, `${prefix}${key}.`)
        : [`${prefix}${key}`],
    )
    .sort();
}
