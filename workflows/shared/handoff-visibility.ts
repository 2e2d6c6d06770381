import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import {
  CaseRef,
  DueAt,
  EscalationLevel,
  HandoffStage,
  OwningDomain,
  Stuck,
  StuckReason,
  WaitingOn,
  type Domain,
  type StuckReasonCode,
} from '@handoffs/contracts';

/** What a supervisor sees of a handoff: never personal data. */
export interface HandoffVisibility {
  caseRef: string;
  owner: Domain;
  stage: string;
  /** The domain that must act now; null once nobody has to. */
  waitingOn: Domain | null;
  dueAt: Date | null;
  /** Set while the handoff is stuck, cleared when it moves on. */
  stuckReason: StuckReasonCode | null;
  escalationLevel: number;
}

/** Keeps the supervisor search attributes and the plain-words details true; call it at every stage. */
export function publishHandoff(visibility: HandoffVisibility, details: string): void {
  upsertSearchAttributes([
    { key: CaseRef, value: visibility.caseRef },
    { key: OwningDomain, value: visibility.owner },
    { key: HandoffStage, value: visibility.stage },
    { key: WaitingOn, value: visibility.waitingOn },
    { key: DueAt, value: visibility.dueAt },
    { key: Stuck, value: visibility.stuckReason !== null },
    { key: StuckReason, value: visibility.stuckReason },
    { key: EscalationLevel, value: visibility.escalationLevel },
  ]);
  setCurrentDetails(details);
}
