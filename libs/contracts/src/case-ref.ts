/**
 * A case reference is pseudonymous: the requesting domain's own file key, never a name, birth date
 * or register number. It is the business key of every handoff and appears in workflow IDs and search
 * attributes, so its shape admits nothing else: two to five capital letters, a year, a serial.
 */
export const CASE_REF_PATTERN = /^[A-Z]{2,5}-\d{4}-[0-9A-Z]{3,12}$/;
export const CASE_REF_EXAMPLE = 'JC-2026-000417';

export function isCaseRef(value: unknown): value is string {
  return typeof value === 'string' && CASE_REF_PATTERN.test(value);
}

export const PROCESSES = ['status-clarification', 'legal-domain-transfer', 'deportation', 'agency-referral'] as const;
export type Process = (typeof PROCESSES)[number];

/** Workflow IDs are business keys: `<process>:<caseRef>`. */
export function handoffWorkflowId(process: Process, caseRef: string): string {
  if (!isCaseRef(caseRef)) {
    throw new TypeError('caseRef is not a pseudonymous case reference');
  }
  return `${process}:${caseRef}`;
}

/** The form of an AZR-Nummer (Ausländerzentralregister) as the offices accept it; otherwise opaque. */
export const AZR_NUMBER_PATTERN = /^[0-9A-Za-z-]{6,20}$/;
