#!/usr/bin/env node
// `npm run bench`: the automated path of status clarification under rising offered load, through
// the HTTP API, against a raw-Temporal baseline of the same shape on the same server. Provisions its
// own Temporal dev server and PostgreSQL (fresh each run, in .data/bench/), builds the services,
// starts them one at a time (cold start, idle RSS), runs the baseline's plain worker beside them in a
// namespace of its own (they never share pollers), lets the two systems take turns at each offered
// rate, then measures the caseworker's decision (an Update) on each, and writes bench-results/<time>.json and .svg (and latest.*). docs/benchmark.md explains the
// figures. `--quick` runs short stages (under five minutes in all); `--no-build` uses the services
// as built; `--rates=10,20,35` and `--stage-seconds=N` change the ladder.
import { existsSync, mkdirSync, rmSync, writeFileSync, copyFileSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureInstalled } from './lib/ensure-install.mjs';
import { mustRun, NX_ENV } from './lib/run.mjs';
import { SERVICES } from './lib/service-roster.mjs';

const log = (message) => console.error(`[bench] ${message}`);
ensureInstalled({ log });
const { dataDir, repoRoot } = await import('./lib/paths.mjs');
const { startPostgres } = await import('./lib/postgres.mjs');
const { childStopper } = await import('./lib/processes.mjs');
const { startTemporal, WAL_SQLITE_PRAGMAS } = await import('./lib/temporal-dev-server.mjs');
const { newPayloadKey, newSupervisorToken, supervisorTokenHash } = await import('./lib/secrets.mjs');
const { cachedCliPath } = await import('./lib/temporal-cli.mjs');
const { Client, Connection } = await import('@temporalio/client');
const figures = await import('./lib/bench/figures.mjs');
const { openLoop } = await import('./lib/bench/load.mjs');
const { closeTimes, drain } = await import('./lib/bench/completions.mjs');
const { ProcessWatch, childrenOf } = await import('./lib/bench/processes.mjs');
const { benchPorts, serviceEnv, startService } = await import('./lib/bench/services.mjs');
const systems = await import('./lib/bench/systems.mjs');
const { benchChart } = await import('./lib/bench/chart.mjs');
const { machineInfo } = await import('./lib/bench/machine.mjs');

const argument = (name) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = process.argv.includes('--quick');
const SETTINGS = {
  mode: quick ? 'quick' : 'full',
  rates: (argument('rates') ?? (quick ? '10,20,35,50,70' : '10,20,35,50,70,100,140,200')).split(',').map(Number),
  stageMs: Number(argument('stage-seconds') ?? (quick ? 10 : 30)) * 1000,
  // How long a stage's handoffs may take to complete after its last request; past it, it did not keep up.
  drainCapMs: quick ? 15_000 : 60_000,
  // After a stage that did not keep up: how long its backlog may take before the next phase starts.
  recoverCapMs: quick ? 60_000 : 180_000,
  decisionRate: 10,
  decisionMs: (quick ? 10 : 30) * 1000,
  idleSettleMs: 5_000,
  maxInFlight: 256,
  slaOverrides: { 'status-recheck-lead': '3650 days' },
};
const TARGETS = { ratio: 0.8, handoffsPerSecond: 35, startP99At20Ms: 50, decisionP99Ms: 100, coldStartMs: 3000, idleRssMb: 200 };
const START_TARGET_RATE = 20;
const BASELINE_NAMESPACE = 'bench-baseline';
// The bench's own ports, beside npm start's (7233/8233/54320 and the roster's) and npm test's (17233/18233/15432, 17243/15442).
const PORTS = {
  temporal: Number(process.env.BENCH_TEMPORAL_PORT ?? 7263),
  temporalUi: Number(process.env.BENCH_TEMPORAL_UI_PORT ?? 8263),
  postgres: Number(process.env.BENCH_POSTGRES_PORT ?? 54350),
  services: benchPorts(Number(process.env.BENCH_SERVICE_PORT_BASE ?? 3200)),
};

const root = repoRoot();
const stateDir = path.join(dataDir(), 'bench');
const logDir = path.join(stateDir, 'logs');
const resultsDir = path.join(root, 'bench-results');
const dist = process.env.SERVICES_DIST ?? path.join(root, 'dist', 'services');
const began = Date.now();
const stops = [];
const watch = new ProcessWatch();
let exitCode = 1;

async function stopAll() {
  for (const stop of stops.reverse()) await stop().catch((error) => log(`stopping: ${error.message}`));
  stops.length = 0;
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => void stopAll().then(() => process.exit(130)));

/**
 * Runs the ladder of offered rates against each system, the two taking turns at each rate (so that
 * other work on the machine weighs on both alike), until a stage does not keep up for that system.
 * @param {{ system: import('./lib/bench/systems.mjs').System, connection: import('@temporalio/client').Connection }[]} entries
 */
async function ladders(entries) {
  const results = new Map(entries.map(({ system }) => [system.name, { stages: [], phases: [], stopped: false }]));
  for (const [index, rate] of SETTINGS.rates.entries()) {
    for (const { system, connection } of entries) {
      const result = results.get(system.name);
      if (result.stopped) continue;
      const phase = `${system.name} at ${rate}/s`;
      const began = Date.now();
      watch.begin(phase);
      const tag = String.fromCharCode(65 + index);
      const sent = await openLoop({ rate, durationMs: SETTINGS.stageMs, maxInFlight: SETTINGS.maxInFlight, send: (n) => system.start(tag, n) });
      const drained = await drain(connection, system.namespace, system.workflowType, SETTINGS.drainCapMs);
      result.phases.push({ figures: watch.end(phase), seconds: (Date.now() - began) / 1000 });
      if (!drained.drained) {
        // Did not keep up; its backlog finishes before anything else runs, and counts towards what it achieved.
        log(`${system.name}: letting the backlog of ${drained.stillRunning} handoffs finish (up to ${SETTINGS.recoverCapMs / 1000} s)`);
        await drain(connection, system.namespace, system.workflowType, SETTINGS.recoverCapMs);
      }
      const { closedAt, failedToComplete } = await closeTimes(connection, system.namespace, system.workflowType, sent.startedAt);
      const summary = figures.summarizeStage({ offered: rate, ...sent, closedAt, failedToComplete });
      const stage = { ...summary, drainedInTime: drained.drained, keepsUp: summary.keepsUp && drained.drained };
      result.stages.push(stage);
      log(`${system.name.padEnd(8)} ${stageLine(stage)}`);
      // The stages up to 20/s always run: the start request's latency at 20/s is a target of its own.
      if (!stage.keepsUp && rate >= START_TARGET_RATE) result.stopped = true;
    }
    if ([...results.values()].every((result) => result.stopped)) break;
  }
  return Object.fromEntries(
    [...results].map(([name, { stages, phases }]) => [name, { stages, sustained: figures.sustainedThroughput(stages), processes: ProcessWatch.combine(phases) }]),
  );
}

/** Caseworkers' decisions (Updates) at a steady rate on handoffs that wait for one. */
async function decisions(system, connection) {
  const count = Math.round((SETTINGS.decisionRate * SETTINGS.decisionMs) / 1000);
  // Nothing of the ladder may still run: the decisions are measured on their own.
  await drain(connection, system.namespace, system.workflowType, SETTINGS.recoverCapMs);
  const waiting = await system.prepareDecisions(count);
  const sent = await openLoop({ rate: SETTINGS.decisionRate, durationMs: SETTINGS.decisionMs, send: (n) => system.decide(waiting[n]) });
  await drain(connection, system.namespace, system.workflowType, SETTINGS.drainCapMs);
  const accepted = sent.requests.filter((request) => request.ok);
  const decision = { rate: SETTINGS.decisionRate, sent: sent.requests.length, errors: sent.requests.length - accepted.length, latencyMs: figures.latencySummary(accepted.map((r) => r.startMs)) };
  log(`${system.name.padEnd(8)} decision Update at ${decision.rate}/s: p50 ${decision.latencyMs.p50} ms, p95 ${decision.latencyMs.p95} ms, p99 ${decision.latencyMs.p99} ms, errors ${decision.errors}`);
  return decision;
}

function stageLine(stage) {
  const ms = ({ p50, p95, p99 }) => `${fmt(p50)}/${fmt(p95)}/${fmt(p99)}`;
  return `offered ${String(stage.offered).padStart(4)}/s  achieved ${stage.achieved.toFixed(1).padStart(6)}/s  request→completion p50/p95/p99 ${ms(stage.endToEndMs).padEnd(20)} ms  start request ${ms(stage.startRequestMs).padEnd(16)} ms  errors ${stage.errors}${stage.keepsUp ? '' : '  (did not keep up)'}`;
}

const fmt = (value) => (value === null || value === undefined ? '–' : value >= 100 ? String(Math.round(value)) : String(value));

/** The plain worker of the baseline, as a process of its own; resolves once it polls. */
async function startBaselineWorker(address) {
  log('baseline: starting the plain worker');
  const worker = spawn(process.execPath, [path.join(root, 'scripts', 'lib', 'bench', 'baseline', 'worker.mjs')], {
    env: { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: BASELINE_NAMESPACE },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  stops.push(childStopper(worker, 'SIGTERM', () => {}));
  await new Promise((resolve, reject) => {
    worker.stdout.on('data', (chunk) => String(chunk).includes('ready') && resolve());
    worker.once('exit', (code) => reject(new Error(`the baseline worker exited (${code})`)));
  });
  watch.watch({ name: 'baseline worker', pids: () => [worker.pid] });
}

/** Our services, started one at a time: each one's cold start, then their RSS after a settle with no load. */
async function startServices(env) {
  const coldStartMs = {};
  for (const service of SERVICES) {
    const started = await startService({
      service,
      dist,
      port: PORTS.services[service],
      env: serviceEnv(service, PORTS.services, env),
      logDir,
      nodeModules: path.join(root, 'node_modules'),
    });
    stops.push(started.stop);
    coldStartMs[service] = started.coldStartMs;
    watch.watch({ name: service, pids: () => [started.pid] });
    log(`${service}: healthy ${started.coldStartMs} ms after spawn`);
  }
  await sleep(SETTINGS.idleSettleMs);
  const memory = watch.memoryNow();
  const idleRssMb = Object.fromEntries(SERVICES.map((service) => [service, memory[service]]));
  log(`idle RSS (MB): ${Object.entries(idleRssMb).map(([service, mb]) => `${service} ${mb}`).join(', ')}`);
  return { coldStartMs, idleRssMb };
}

/** Each target with the figure it is judged on, met or missed. */
function judge(results) {
  const at20 = figures.stageAt(results.ours.stages, START_TARGET_RATE);
  const rows = [
    [`ratio ours / baseline (${results.ratio.basis} throughput)`, results.ratio.throughput, '≥', TARGETS.ratio, ''],
    ['sustained throughput (handoffs/s)', results.ours.sustained.handoffsPerSecond, '≥', TARGETS.handoffsPerSecond, ''],
    [`start request p99 at ${START_TARGET_RATE} requests/s`, at20?.startRequestMs.p99 ?? null, '≤', TARGETS.startP99At20Ms, 'ms'],
    ['decision Update p99', results.ours.decision.latencyMs.p99, '≤', TARGETS.decisionP99Ms, 'ms'],
    ['slowest cold start to healthy', Math.max(...Object.values(results.ours.coldStartMs)), '≤', TARGETS.coldStartMs, 'ms'],
    ['largest idle RSS of a service', Math.max(...Object.values(results.ours.idleRssMb)), '≤', TARGETS.idleRssMb, 'MB'],
  ];
  return rows.map(([target, value, relation, limit, unit]) => ({
    target,
    value,
    limit: `${relation} ${limit}${unit ? ` ${unit}` : ''}`,
    met: value !== null && (relation === '≥' ? value >= limit : value <= limit),
  }));
}

function report(results) {
  const lines = ['', `npm run bench (${SETTINGS.mode}) on ${results.machine.cpuModel}, ${results.machine.cores} cores, ${results.machine.memoryGb} GB`, ''];
  for (const name of ['baseline', 'ours']) {
    for (const stage of results[name].stages) lines.push(`  ${name.padEnd(8)} ${stageLine(stage)}`);
    const { handoffsPerSecond, atOffered, peak, limitNotReached } = results[name].sustained;
    lines.push(`  ${name.padEnd(8)} sustained ${handoffsPerSecond ?? '–'} handoffs/s (stage offered ${atOffered ?? '–'}/s)${limitNotReached ? ', every stage kept up: the limit is higher' : `; peak ${peak}/s`}`);
    const { decision } = results[name];
    lines.push(`  ${name.padEnd(8)} decision Update at ${decision.rate}/s: p50/p95/p99 ${fmt(decision.latencyMs.p50)}/${fmt(decision.latencyMs.p95)}/${fmt(decision.latencyMs.p99)} ms, errors ${decision.errors}`, '');
  }
  const r = results.ratio;
  lines.push(
    `  ratio = ours / baseline = ${r.throughput ?? '–'} (${r.basis} throughput${r.basis === 'peak' ? ': a system kept up at no stage' : ''}); peak ${r.peak ?? '–'}`,
    `  latency ratios: request→completion at 20/s p50 ${r.endToEndP50At20 ?? '–'}, p99 ${r.endToEndP99At20 ?? '–'}; start request p99 at 20/s ${r.startP99At20 ?? '–'}; decision Update p99 ${r.decisionP99 ?? '–'}`,
    '',
  );
  lines.push('  CPU (cores, average) and peak memory (MB) per process under load:');
  for (const name of ['baseline', 'ours']) {
    const processes = Object.entries(results[name].processes).map(([process, p]) => `${process} ${p.cores} cores/${p.peakMemoryMb} MB`);
    lines.push(`    ${name.padEnd(8)} ${processes.join(', ')}`);
  }
  lines.push(`  cold start (ms): ${Object.entries(results.ours.coldStartMs).map(([s, ms]) => `${s} ${ms}`).join(', ')}`);
  lines.push(`  idle RSS (MB):   ${Object.entries(results.ours.idleRssMb).map(([s, mb]) => `${s} ${mb}`).join(', ')}`, '', '  targets:');
  for (const { target, value, limit, met } of results.targets) lines.push(`    ${met ? 'met   ' : 'MISSED'} ${target}: ${value ?? '–'} (target ${limit})`);
  console.log(lines.join('\n'));
}

try {
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  mkdirSync(resultsDir, { recursive: true });
  if (!process.argv.includes('--no-build')) {
    log('building the services');
    await mustRun('build', 'npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], { env: NX_ENV });
  }
  for (const service of SERVICES) {
    if (!existsSync(path.join(dist, service, 'main.js'))) throw new Error(`${service} is not built in ${dist}; run without --no-build`);
  }
  watch.watch({ name: 'load generator', pids: () => [process.pid] });
  const temporal = await startTemporal({
    port: PORTS.temporal,
    uiPort: PORTS.temporalUi,
    dbFile: path.join(stateDir, 'temporal.db'),
    namespaces: [BASELINE_NAMESPACE],
    sqlitePragmas: WAL_SQLITE_PRAGMAS,
    log,
  });
  stops.push(temporal.stop);
  if (temporal.pid) watch.watch({ name: 'Temporal dev server', pids: () => [temporal.pid] });
  const postgres = await startPostgres({ port: PORTS.postgres, dataDir: path.join(stateDir, 'postgres'), useDatabaseUrl: false, log });
  stops.push(postgres.stop);
  const postmaster = Number(readFileSync(path.join(stateDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  watch.watch({ name: 'PostgreSQL', group: true, pids: () => [postmaster, ...childrenOf(postmaster)] });

  const machine = machineInfo({ root, temporalCli: cachedCliPath() });
  const supervisorToken = newSupervisorToken();
  const { coldStartMs, idleRssMb } = await startServices({
    ...process.env,
    DATABASE_URL: postgres.databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    PAYLOAD_ENCRYPTION_KEYS: newPayloadKey('bench'),
    CODEC_SUPERVISOR_TOKEN_HASHES: supervisorTokenHash('supervisor', supervisorToken),
    SLA_OVERRIDES: JSON.stringify(SETTINGS.slaOverrides),
  });
  await startBaselineWorker(temporal.address);

  const connection = await Connection.connect({ address: temporal.address });
  stops.push(() => connection.close());
  const url = (service) => `http://127.0.0.1:${PORTS.services[service]}`;
  const oursSystem = systems.ours({ immigration: url('immigration'), jobCentre: url('job-centre') });
  const baselineSystem = systems.baseline(new Client({ connection, namespace: BASELINE_NAMESPACE }));
  await oursSystem.setUp();
  const underLoad = await ladders([
    { system: baselineSystem, connection },
    { system: oursSystem, connection },
  ]);
  const baselineResult = { ...underLoad.baseline, decision: await decisions(baselineSystem, connection) };
  const oursResult = { ...underLoad.ours, decision: await decisions(oursSystem, connection), coldStartMs, idleRssMb };
  await stopAll();

  const at20 = (result) => figures.stageAt(result.stages, START_TARGET_RATE)?.endToEndMs;
  const sustainedRatio = figures.ratio(oursResult.sustained.handoffsPerSecond, baselineResult.sustained.handoffsPerSecond);
  const peakRatio = figures.ratio(oursResult.sustained.peak, baselineResult.sustained.peak);
  const results = {
    startedAt: new Date(began).toISOString(),
    settings: SETTINGS,
    machine,
    baseline: baselineResult,
    ours: oursResult,
    ratio: {
      // Sustained throughput where both kept up at some stage; otherwise what each managed at most.
      basis: sustainedRatio === null ? 'peak' : 'sustained',
      throughput: sustainedRatio ?? peakRatio,
      peak: peakRatio,
      startP99At20: figures.ratio(figures.stageAt(oursResult.stages, START_TARGET_RATE)?.startRequestMs.p99, figures.stageAt(baselineResult.stages, START_TARGET_RATE)?.startRequestMs.p99),
      endToEndP50At20: figures.ratio(at20(oursResult)?.p50, at20(baselineResult)?.p50),
      endToEndP99At20: figures.ratio(at20(oursResult)?.p99, at20(baselineResult)?.p99),
      decisionP99: figures.ratio(oursResult.decision.latencyMs.p99, baselineResult.decision.latencyMs.p99),
    },
  };
  results.targets = judge(results);
  results.wallTimeS = Math.round((Date.now() - began) / 1000);

  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const chart = benchChart({
    title: 'Status clarification, automated path: ours vs raw Temporal',
    subtitle: `${SETTINGS.mode} run ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${machine.cpuModel}, ${machine.cores} cores; ratio ${results.ratio.throughput ?? '–'}`,
    series: { ours: oursResult.stages, baseline: baselineResult.stages },
  });
  writeFileSync(path.join(resultsDir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(resultsDir, `${stamp}.svg`), chart);
  copyFileSync(path.join(resultsDir, `${stamp}.json`), path.join(resultsDir, 'latest.json'));
  copyFileSync(path.join(resultsDir, `${stamp}.svg`), path.join(resultsDir, 'latest.svg'));
  report(results);
  console.log(`\n  results: bench-results/${stamp}.json, chart bench-results/${stamp}.svg (and latest.*); ${results.wallTimeS} s in all`);
  exitCode = 0;
} catch (error) {
  log(error.stack ?? error.message);
} finally {
  await stopAll();
}
process.exit(exitCode);
