import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * What a supervisor filters on in the Web UI. Not encrypted: never personal data.
 * The dev server registers the same list from search-attributes.json.
 */
export const CaseRef = defineSearchAttributeKey('CaseRef', SearchAttributeType.KEYWORD);
export const OwningDomain = defineSearchAttributeKey('OwningDomain', SearchAttributeType.KEYWORD);
export const WaitingOn = defineSearchAttributeKey('WaitingOn', SearchAttributeType.KEYWORD);
export const HandoffStage = defineSearchAttributeKey('HandoffStage', SearchAttributeType.KEYWORD);
export const DueAt = defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME);
export const Stuck = defineSearchAttributeKey('Stuck', SearchAttributeType.BOOL);
export const StuckReason = defineSearchAttributeKey('StuckReason', SearchAttributeType.KEYWORD);
export const EscalationLevel = defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT);

export const SUPERVISOR_SEARCH_ATTRIBUTES = [
  CaseRef,
  OwningDomain,
  WaitingOn,
  HandoffStage,
  DueAt,
  Stuck,
  StuckReason,
  EscalationLevel,
] as const;
