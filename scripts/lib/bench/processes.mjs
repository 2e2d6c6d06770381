// CPU time and memory of the processes under test, read from /proc (Linux): utime + stime (and the
// times of reaped children) from /proc/<pid>/stat, VmRSS and VmHWM from /proc/<pid>/status, and for
// a group of processes that share memory (PostgreSQL's postmaster and its backends) the proportional
// set size (Pss) from /proc/<pid>/smaps_rollup, so that shared buffers count once.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Clock ticks per second of the utime/stime fields. */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds a process has used, its own and its reaped children's; null if it is gone.
 * @param {number} pid
 */
export function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after it are plain numbers.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((index) => Number(fields[index]));
    return (utime + stime + cutime + cstime) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * Resident memory of a process in MB: now (VmRSS) and its peak since it started (VmHWM); null if it is gone.
 * @param {number} pid
 */
export function memoryMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Proportional set size of a process in MB (shared pages split among their sharers), or its RSS where smaps_rollup is unreadable. */
export function proportionalMb(pid) {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s*(\d+)/m.exec(rollup)?.[1] ?? 0) / 1024;
  } catch {
    return memoryMb(pid)?.rss ?? 0;
  }
}

/** The processes whose parent is `pid`. */
export function childrenOf(pid) {
  const children = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) children.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return children;
}

/**
 * @typedef {object} Watched A process, or a group of processes counted as one.
 * @property {string} name
 * @property {() => number[]} pids its processes now; the first is the leader, whose reaped children's CPU counts too
 * @property {boolean} [group] several processes sharing memory: memory is the summed Pss, sampled
 */

/**
 * Watches processes during the phases of a run: for each phase, the CPU seconds each used (and the
 * cores that makes on average) and its peak memory, sampled every `intervalMs` (a single process's
 * VmHWM covers what falls between samples).
 */
export class ProcessWatch {
  /** @param {number} [intervalMs] */
  constructor(intervalMs = 1000) {
    this.intervalMs = intervalMs;
    /** @type {Watched[]} */
    this.watched = [];
    /** @type {Map<string, { startedAt: number, cpu: Map<string, number>, peak: Map<string, number> }>} */
    this.phases = new Map();
    this.timer = undefined;
  }

  /** @param {Watched} process */
  watch(process) {
    this.watched = this.watched.filter(({ name }) => name !== process.name).concat(process);
  }

  /** Stops watching `name` (its figures so far stay in the phases that are open). */
  unwatch(name) {
    this.watched = this.watched.filter((process) => process.name !== name);
  }

  /** Starts a phase: CPU is counted from now. */
  begin(phase) {
    const cpu = new Map(this.watched.map((process) => [process.name, this.cpuOf(process)]));
    this.phases.set(phase, { startedAt: Date.now(), cpu, peak: new Map() });
    this.sample();
    this.timer ??= setInterval(() => this.sample(), this.intervalMs).unref();
  }

  /**
   * Ends a phase: per process, CPU seconds, average cores and peak memory (MB) while it ran.
   * @returns {Record<string, { cpuSeconds: number, cores: number, peakMemoryMb: number }>}
   */
  end(phase) {
    this.sample();
    const open = this.phases.get(phase);
    this.phases.delete(phase);
    if (this.phases.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    const seconds = (Date.now() - open.startedAt) / 1000;
    const figures = {};
    for (const process of this.watched) {
      const before = open.cpu.get(process.name);
      if (before === undefined) continue;
      const used = Math.max(0, this.cpuOf(process) - before);
      figures[process.name] = {
        cpuSeconds: round(used, 2),
        cores: round(used / seconds, 2),
        peakMemoryMb: round(open.peak.get(process.name) ?? 0, 1),
      };
    }
    return figures;
  }

  /**
   * Several phases taken together (e.g. one system's stages, interleaved with the other's): CPU
   * seconds summed, cores over their summed wall time, the highest peak.
   * @param {{ seconds: number, figures: ReturnType<ProcessWatch['end']> }[]} phases
   */
  static combine(phases) {
    const seconds = phases.reduce((sum, phase) => sum + phase.seconds, 0);
    const combined = {};
    for (const { figures } of phases) {
      for (const [name, { cpuSeconds: used, peakMemoryMb }] of Object.entries(figures)) {
        const sum = (combined[name] ??= { cpuSeconds: 0, cores: 0, peakMemoryMb: 0 });
        sum.cpuSeconds = round(sum.cpuSeconds + used, 2);
        sum.peakMemoryMb = Math.max(sum.peakMemoryMb, peakMemoryMb);
      }
    }
    for (const sum of Object.values(combined)) sum.cores = seconds > 0 ? round(sum.cpuSeconds / seconds, 2) : 0;
    return combined;
  }

  /** The memory of each watched process now, in MB: RSS, or for a group the summed Pss. */
  memoryNow() {
    return Object.fromEntries(this.watched.map((process) => [process.name, round(this.memoryOf(process).now, 1)]));
  }

  cpuOf(process) {
    return process.pids().reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
  }

  memoryOf(process) {
    const pids = process.pids();
    if (process.group) {
      const now = pids.reduce((sum, pid) => sum + proportionalMb(pid), 0);
      return { now, peak: now };
    }
    const memory = pids.length ? memoryMb(pids[0]) : null;
    return { now: memory?.rss ?? 0, peak: memory?.peak ?? 0 };
  }

  sample() {
    for (const process of this.watched) {
      const { peak } = this.memoryOf(process);
      for (const open of this.phases.values()) {
        open.peak.set(process.name, Math.max(open.peak.get(process.name) ?? 0, peak));
      }
    }
  }
}

function round(value, digits) {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
