import type { Workflow } from '@temporalio/common';

/**
 * A workflow as services know it: the type they start it by, and its signature, without its code.
 * `workflows/workflow-types.spec.ts` checks each against the workflow the bundle exports.
 */
export interface WorkflowType<W extends Workflow> {
  readonly name: string;
  /** Carries the signature for the compiler only. */
  readonly signature?: W;
}

export function defineWorkflowType<W extends Workflow>(name: string): WorkflowType<W> {
  return { name };
}

/** The signature of a workflow type. */
export type SignatureOf<T> = T extends WorkflowType<infer W> ? W : never;
