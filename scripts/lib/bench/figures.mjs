// The bench's arithmetic, kept free of I/O so that it can be tested on its own: percentiles, one
// stage's summary, the sustained-throughput rule and the ratio of ours to the baseline.

/** A stage keeps up when it reaches this share of the offered rate … */
export const KEEPS_UP_SHARE = 0.9;
/** … completes this share of the requests it accepted before its drain ends … */
export const COMPLETED_SHARE = 0.99;
/** … and fails no more than this share of its requests. */
export const ERROR_SHARE = 0.01;

/**
 * The p-th percentile (0 < p ≤ 100) of `values` by the nearest-rank method: the smallest value with
 * at least p % of the values at or below it. Null for no values.
 * @param {number[]} values
 * @param {number} p
 * @returns {number | null}
 */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/**
 * p50, p95, p99 and the largest of `values` (milliseconds), rounded to 0.1 ms; nulls for no values.
 * @param {number[]} values
 */
export function latencySummary(values) {
  const round = (value) => (value === null ? null : Math.round(value * 10) / 10);
  return {
    count: values.length,
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
    max: round(values.length ? Math.max(...values) : null),
  };
}

/**
 * @typedef {object} SentRequest One request of the load generator.
 * @property {string} id the handoff's workflow ID
 * @property {number} sentAt when it was sent (ms since the epoch, this machine's clock)
 * @property {number | null} startMs how long the start request took until its answer
 * @property {boolean} ok whether the handoff was accepted (started)
 * @property {string} [error] why not
 */

/**
 * One stage of offered load, summarised.
 *
 * The stage's window runs from its first send to its last completion (or to the end of sending, if
 * later); achieved throughput is the completions in that window per second. Request → completion
 * is the workflow's close time on the server minus the client's send time (one machine, one clock).
 * @param {object} stage
 * @param {number} stage.offered offered rate (handoffs per second)
 * @param {number} stage.startedAt when sending began (ms since the epoch)
 * @param {number} stage.durationMs how long the generator sent
 * @param {SentRequest[]} stage.requests
 * @param {Map<string, number>} stage.closedAt workflow ID → close time (ms since the epoch) of each completed handoff
 * @param {number} [stage.failedToComplete] handoffs that closed other than completed
 */
export function summarizeStage({ offered, startedAt, durationMs, requests, closedAt, failedToComplete = 0 }) {
  const accepted = requests.filter((request) => request.ok);
  const endToEnd = [];
  let lastClose = startedAt + durationMs;
  for (const request of accepted) {
    const closed = closedAt.get(request.id);
    if (closed === undefined) continue;
    endToEnd.push(closed - request.sentAt);
    lastClose = Math.max(lastClose, closed);
  }
  const windowS = (lastClose - startedAt) / 1000;
  const completed = endToEnd.length;
  const errors = requests.length - accepted.length;
  const achieved = windowS > 0 ? completed / windowS : 0;
  const summary = {
    offered,
    durationS: durationMs / 1000,
    sent: requests.length,
    accepted: accepted.length,
    errors,
    errorKinds: countBy(requests.filter((request) => !request.ok).map((request) => request.error ?? 'unknown')),
    completed,
    failedToComplete,
    windowS: Math.round(windowS * 100) / 100,
    achieved: Math.round(achieved * 100) / 100,
    endToEndMs: latencySummary(endToEnd),
    startRequestMs: latencySummary(accepted.map((request) => request.startMs)),
  };
  return { ...summary, keepsUp: keepsUp(summary) };
}

/**
 * Whether a summarised stage kept up with its offered load: few errors, (nearly) every accepted
 * handoff completed within the drain, and completions at no less than 90 % of the offered rate.
 * @param {{ offered: number, sent: number, accepted: number, errors: number, completed: number, achieved: number }} stage
 */
export function keepsUp({ offered, sent, accepted, errors, completed, achieved }) {
  return sent > 0 && errors <= ERROR_SHARE * sent && completed >= COMPLETED_SHARE * accepted && achieved >= KEEPS_UP_SHARE * offered;
}

/**
 * Sustained throughput: the highest achieved throughput among the stages that kept up (null if
 * none did), with the offered rate of that stage. `peak` is the highest achieved in any stage,
 * overloaded or not: what the system managed when it could not keep up.
 * @param {{ offered: number, achieved: number, keepsUp: boolean }[]} stages
 */
export function sustainedThroughput(stages) {
  const keptUp = stages.filter((stage) => stage.keepsUp);
  const best = keptUp.reduce((top, stage) => (top && top.achieved >= stage.achieved ? top : stage), null);
  const peak = stages.reduce((top, stage) => Math.max(top, stage.achieved), 0);
  return {
    handoffsPerSecond: best?.achieved ?? null,
    atOffered: best?.offered ?? null,
    peak,
    // Every stage kept up: the true limit lies above the highest offered rate.
    limitNotReached: stages.length > 0 && stages.every((stage) => stage.keepsUp),
  };
}

/** ours / baseline, to two decimals; null when either is missing or the baseline is zero. */
export function ratio(ours, baseline) {
  if (ours === null || ours === undefined || !baseline) return null;
  return Math.round((ours / baseline) * 100) / 100;
}

/**
 * The stage of `stages` offered at `rate` (handoffs per second), if there is one.
 * @template {{ offered: number }} S
 * @param {S[]} stages
 * @param {number} rate
 * @returns {S | undefined}
 */
export function stageAt(stages, rate) {
  return stages.find((stage) => stage.offered === rate);
}

function countBy(values) {
  const counts = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
