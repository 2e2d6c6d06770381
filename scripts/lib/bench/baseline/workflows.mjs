// The raw-Temporal baseline's workflow: the shape of a status clarification (workflows/status-clarification)
// with nothing of ours around it. The same activities in the same order on the same task queues
// (their bodies are empty, see worker.mjs), the same 1 ms timer before the re-check task (the bench
// makes the re-check due at once), and on the caseworker path the same wait for a decision Update.
// No board, no search attributes, no memo, no encryption, no step watching: what is left is Temporal.
// Bundled by the SDK for the worker; plain JS so that it needs no build.
import { condition, defineQuery, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

/** taskQueueOf('immigration') and taskQueueOf('job-centre') in libs/contracts: a domain's queue carries its name. */
export const TASK_QUEUES = { immigration: 'immigration', jobCentre: 'job-centre' };

export const decide = defineUpdate('decide');
export const awaitingDecision = defineQuery('awaitingDecision');

const stepsAt = (taskQueue) => proxyActivities({ taskQueue, startToCloseTimeout: '30 seconds' });

/**
 * @param {{ awaitDecision?: boolean }} input awaitDecision: no register answer, a caseworker decides by Update
 */
export async function handoffBaseline({ awaitDecision = false } = {}) {
  const immigration = stepsAt(TASK_QUEUES.immigration);
  const jobCentre = stepsAt(TASK_QUEUES.jobCentre);
  let decided = false;
  let waiting = false;
  setHandler(awaitingDecision, () => waiting);

  await jobCentre.recordTransfer();
  await immigration.recordTransfer();
  await immigration.findCurrentStatus();
  if (awaitDecision) {
    await immigration.openInboxTask();
    setHandler(decide, () => {
      decided = true;
      return { outcome: 'CLEARED' };
    });
    waiting = true;
    await condition(() => decided);
    waiting = false;
  }
  await immigration.recordTransfer();
  await jobCentre.deliverStatusAnswer();
  if (awaitDecision) await immigration.closeInboxTask();
  await sleep(1);
  await jobCentre.openInboxTask();
}
