import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  DeportationInput,
  DeportationResult,
  CancellationRequest,
  ConcernDecision,
  DeportationStage,
  DeportationState,
  ExecutionRecord,
  ParticipationFinding,
  ScheduleDecision,
  SeparationReport,
} from '@handoffs/contracts';
import { defineWorkflowType } from './workflow-type';

/** The process as services start it (the immigration office starts and hosts it). */
export const deportationWorkflow = defineWorkflowType<(input: DeportationInput) => Promise<DeportationResult>>('deportation');

export interface StageAccepted {
  stage: DeportationStage;
}

/** The KSD caseworker completes the child-welfare participation task: no concern, or a concern with its reason. */
export const completeParticipation = defineUpdate<StageAccepted, [ParticipationFinding]>('completeParticipation');

/** After a concern, the immigration office decides: proceed, postpone (new planned day) or cancel. */
export const decideOnConcern = defineUpdate<StageAccepted, [ConcernDecision]>('decideOnConcern');

/** The immigration office sets the date (a night operation for children under 14 needs a logged override). */
export const scheduleDeportation = defineUpdate<StageAccepted, [ScheduleDecision]>('scheduleDeportation');

/** The immigration office records the departure. */
export const recordExecution = defineUpdate<StageAccepted, [ExecutionRecord]>('recordExecution');

/** The immigration office stops the deportation (court stay, toleration, certificate, failed attempt, absconding, …). */
export const cancelDeportation = defineUpdate<StageAccepted, [CancellationRequest]>('cancelDeportation');

/** A child is separated from the family: a child-protection task opens at the KSD before this returns. */
export const reportSeparation = defineUpdate<{ taskId: string }, [SeparationReport]>('reportSeparation');

export const deportationState = defineQuery<DeportationState>('deportationState');
