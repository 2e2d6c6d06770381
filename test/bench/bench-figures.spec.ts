import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { taskQueueOf } from '@handoffs/contracts';

const BENCH_LIB = path.resolve(__dirname, '..', '..', 'scripts', 'lib', 'bench');

/**
 * Evaluates `expression` in a Node ES module that imports the bench's modules (plain ESM, which
 * jest's CommonJS run cannot load) and returns its value, passed back as JSON.
 */
function evaluate(expression: string): any {
  const source = `
    import * as figures from ${JSON.stringify(path.join(BENCH_LIB, 'figures.mjs'))};
    import * as chart from ${JSON.stringify(path.join(BENCH_LIB, 'chart.mjs'))};
    import { TASK_QUEUES } from ${JSON.stringify(path.join(BENCH_LIB, 'baseline', 'workflows.mjs'))};
    const value = await (async () => ${expression})();
    process.stdout.write(JSON.stringify(value));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', source], { encoding: 'utf8', cwd: path.resolve(__dirname, '..', '..') });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

const stage = (offered: number, achieved: number, keepsUp: boolean, p99 = 100) => ({ offered, achieved, keepsUp, endToEndMs: { p99 } });

describe('the bench figures', () => {
  it('takes percentiles by the nearest rank', () => {
    expect(evaluate('[1, 50, 95, 99, 100].map((p) => figures.percentile(Array.from({ length: 100 }, (_, i) => 100 - i), p))')).toEqual([1, 50, 95, 99, 100]);
    expect(evaluate('[figures.percentile([7], 99), figures.percentile([3, 1, 2], 50), figures.percentile([], 50)]')).toEqual([7, 2, null]);
  });

  it('summarises a stage: completions per second of its window, request → completion from send to close, errors apart', () => {
    const summary = evaluate(`figures.summarizeStage({
      offered: 2, startedAt: 1000, durationMs: 2000, failedToComplete: 0,
      requests: [
        { id: 'a', sentAt: 1000, startMs: 10, ok: true },
        { id: 'b', sentAt: 1500, startMs: 20, ok: true },
        { id: 'c', sentAt: 2000, startMs: 30, ok: true },
        { id: 'd', sentAt: 2500, startMs: 40, ok: true },
        { id: 'failed-4', sentAt: 2600, startMs: 5, ok: false, error: 'HTTP 503' },
      ],
      closedAt: new Map([['a', 1200], ['b', 1800], ['c', 2400], ['d', 4000]]),
    })`);
    expect(summary).toMatchObject({
      offered: 2,
      sent: 5,
      accepted: 4,
      errors: 1,
      errorKinds: { 'HTTP 503': 1 },
      completed: 4,
      windowS: 3,
      achieved: 1.33,
      endToEndMs: { count: 4, p50: 300, p99: 1500, max: 1500 },
      startRequestMs: { count: 4, p50: 20, p99: 40 },
      keepsUp: false,
    });
  });

  it('counts a stage as keeping up only with few errors, (nearly) all completed and at least 90 % of the offered rate', () => {
    const keepsUp = (stageFigures: object) => evaluate(`figures.keepsUp(${JSON.stringify(stageFigures)})`);
    const steady = { offered: 10, sent: 100, accepted: 100, errors: 0, completed: 100, achieved: 9.5 };
    expect(keepsUp(steady)).toBe(true);
    expect(keepsUp({ ...steady, achieved: 8.9 })).toBe(false);
    expect(keepsUp({ ...steady, completed: 97 })).toBe(false);
    expect(keepsUp({ ...steady, accepted: 95, errors: 5, completed: 95 })).toBe(false);
    expect(keepsUp({ ...steady, sent: 0, accepted: 0, completed: 0 })).toBe(false);
  });

  it('takes the sustained throughput from the best stage that kept up, and the peak from any stage', () => {
    const stages = [stage(10, 9.8, true), stage(20, 19.5, true), stage(35, 28, false)];
    expect(evaluate(`figures.sustainedThroughput(${JSON.stringify(stages)})`)).toEqual({ handoffsPerSecond: 19.5, atOffered: 20, peak: 28, limitNotReached: false });
    expect(evaluate(`figures.sustainedThroughput(${JSON.stringify([stage(10, 4, false)])})`)).toEqual({ handoffsPerSecond: null, atOffered: null, peak: 4, limitNotReached: false });
    expect(evaluate(`figures.sustainedThroughput(${JSON.stringify([stage(10, 9.9, true)])})`).limitNotReached).toBe(true);
    expect(evaluate('[figures.ratio(40, 50), figures.ratio(null, 50), figures.ratio(40, null)]')).toEqual([0.8, null, null]);
  });

  it('draws a well-formed SVG with both series', () => {
    const series = { ours: [stage(10, 9.7, true, 250), stage(20, 12, false, 9000)], baseline: [stage(10, 9.9, true, 40), stage(20, 19.8, true, 60)] };
    const svg: string = evaluate(`chart.benchChart(${JSON.stringify({ title: 'Ours & <baseline>', subtitle: 'a machine', series })})`);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('Ours &amp; &lt;baseline&gt;');
    // Every element is closed, in order.
    const open: string[] = [];
    for (const [, closing, name, selfClosing] of svg.matchAll(/<(\/?)([a-z]+)\b[^>]*?(\/?)>/g)) {
      if (closing) expect(open.pop()).toBe(name);
      else if (!selfClosing) open.push(name);
    }
    expect(open).toEqual([]);
    // One series per system in each panel, a point per stage.
    for (const name of ['ours', 'baseline']) {
      const groups = svg.match(new RegExp(`<g class="series" data-series="${name}">[\\s\\S]*?</g>`, 'g')) ?? [];
      expect(groups).toHaveLength(2);
      for (const group of groups) expect(group.match(/<circle /g)).toHaveLength(2);
    }
  });

  it('runs the baseline on the task queues of our domains', () => {
    expect(evaluate('TASK_QUEUES')).toEqual({ immigration: taskQueueOf('immigration'), jobCentre: taskQueueOf('job-centre') });
  });
});
