import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces can carry what a step was about, so they travel as an encoded
 * payload (which the payload codec encrypts); the server keeps only "Encoded failure".
 *
 * Loaded by path (`failureConverterPath`): by workers and clients, and bundled into the workflow
 * code, since workflows build their failures inside the sandbox. It imports nothing but the SDK.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
