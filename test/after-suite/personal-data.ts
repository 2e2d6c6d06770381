import type { PersonalDataKind, PersonalValue } from '@handoffs/testing';

/** One way a personal value can be written, as a pattern. */
export interface Needle {
  kind: PersonalDataKind;
  /** Whose value it is (fixture or demo case), to find it in the fixtures. */
  of: string;
  value: string;
  pattern: RegExp;
}

/** A personal value found in a field that Temporal does not encrypt. */
export interface Finding {
  namespace: string;
  /** The workflow ID with any personal value in it masked. */
  workflowId: string;
  field: string;
  kind: PersonalDataKind;
  of: string;
  /** What was found, with all but its first and last character masked. */
  masked: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A name part shorter than this is only looked for as part of the whole name: "Mai" alone would match by chance. */
const MIN_NAME_PART = 4;

function spellings({ kind, value }: PersonalValue): { pattern: string; unicode?: boolean }[] {
  if (kind === 'date of birth') {
    const [year, month, day] = value.split('-');
    // ISO, German and compact: the ways a date of birth ends up in an identifier or a sentence.
    return [`${year}-${month}-${day}`, `${day}.${month}.${year}`, `${year}${month}${day}`].map((date) => ({ pattern: escape(date) }));
  }
  if (kind === 'family name' || kind === 'given names') {
    const parts = value.split(/[\s-]+/).filter((part) => part.length >= MIN_NAME_PART);
    const whole = value.split(/\s+/).map(escape).join('[\\s_-]*');
    // Bounded by non-letters, so "Rami" is found in "JC-RAMI-1" but not in "ramification".
    return [whole, ...parts.map(escape)].map((name) => ({ pattern: `(?<!\\p{L})${name}(?!\\p{L})`, unicode: true }));
  }
  return [{ pattern: escape(value) }];
}

/** Every spelling of every personal value, as case-insensitive patterns. */
export function needlesFor(values: readonly PersonalValue[]): Needle[] {
  return values.flatMap((value) =>
    spellings(value).map(({ pattern, unicode }) => ({ kind: value.kind, of: value.of, value: value.value, pattern: new RegExp(pattern, unicode ? 'giu' : 'gi') })),
  );
}

export function mask(value: string): string {
  return value.length <= 2 ? '*'.repeat(value.length) : `${value[0]}${'*'.repeat(value.length - 2)}${value[value.length - 1]}`;
}

/** `text` with every personal value in it replaced by its kind, so that it can be printed. */
export function redact(text: string, needles: readonly Needle[]): string {
  return needles.reduce((redacted, needle) => redacted.replace(needle.pattern, `[${needle.kind}]`), text);
}

/** The personal data in one field's text: one finding per kind (a name and a part of it are one finding). */
export function findPersonalData(
  text: string,
  where: { namespace: string; workflowId: string; field: string },
  needles: readonly Needle[],
): Finding[] {
  const found = new Map<string, Finding>();
  for (const needle of needles) {
    needle.pattern.lastIndex = 0;
    const match = needle.pattern.exec(text);
    if (!match) continue;
    if (!found.has(needle.kind)) {
      found.set(needle.kind, { ...where, workflowId: redact(where.workflowId, needles), kind: needle.kind, of: needle.of, masked: mask(match[0]) });
    }
  }
  return [...found.values()];
}

export function describeFinding(finding: Finding): string {
  return `${finding.namespace} / ${finding.workflowId} / ${finding.field}: a ${finding.kind} (${finding.masked}, ${finding.of})`;
}
