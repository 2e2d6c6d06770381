// What the figures were measured on: they mean little without it.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * The machine, the software and the commit of a bench run.
 * @param {{ root: string, temporalCli?: string | null }} where
 */
export function machineInfo({ root, temporalCli }) {
  const cpus = os.cpus();
  const quiet = (command, args) => {
    try {
      return execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  };
  const dirty = quiet('git', ['status', '--porcelain', '--untracked-files=no']);
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    temporalCli: temporalCli ? (quiet(temporalCli, ['--version']) ?? 'unknown') : 'the SDK-downloaded dev server',
    gitCommit: quiet('git', ['rev-parse', 'HEAD']),
    gitDirty: Boolean(dirty),
    // Other work on the machine while the bench ran shows here.
    loadAverageAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}
