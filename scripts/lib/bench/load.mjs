// The load generator: open loop. Requests go out on a fixed schedule whether or not earlier ones
// have been answered, so a slow system meets the same offered load as a fast one (a closed loop
// would slow down with it and hide the queueing). In-flight requests are bounded; one that would
// exceed the bound is not sent and counts as an error ("overloaded: too many in flight").
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Sends `rate` requests per second for `durationMs`, request i at start + i / rate.
 * @param {object} options
 * @param {number} options.rate requests per second
 * @param {number} options.durationMs
 * @param {number} [options.maxInFlight]
 * @param {(index: number) => Promise<{ id: string, ok: boolean, error?: string }>} options.send
 *   sends request `index`; resolves with the handoff it concerns and whether it was accepted
 * @returns {Promise<{ startedAt: number, durationMs: number, requests: import('./figures.mjs').SentRequest[] }>}
 */
export async function openLoop({ rate, durationMs, maxInFlight = 256, send }) {
  const count = Math.round((rate * durationMs) / 1000);
  const requests = [];
  const pending = new Set();
  const startedAt = Date.now();
  for (let index = 0; index < count; index++) {
    const due = startedAt + (index * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 1) await sleep(wait);
    if (pending.size >= maxInFlight) {
      requests.push({ id: `not-sent-${index}`, sentAt: Date.now(), startMs: null, ok: false, error: 'overloaded: too many in flight' });
      continue;
    }
    const sentAt = Date.now();
    const clock = performance.now();
    const request = send(index).then(
      (answer) => ({ ...answer, sentAt, startMs: performance.now() - clock }),
      (error) => ({ id: `failed-${index}`, sentAt, startMs: performance.now() - clock, ok: false, error: errorKind(error) }),
    );
    const tracked = request.then((answer) => {
      requests.push(answer);
      pending.delete(tracked);
    });
    pending.add(tracked);
  }
  await Promise.all(pending);
  return { startedAt, durationMs, requests };
}

/** A short, data-free name for a failure: its class and code, never the message (which may echo a request). */
export function errorKind(error) {
  const cause = error?.cause;
  return [error?.name ?? 'Error', error?.code ?? cause?.code].filter(Boolean).join(' ');
}
