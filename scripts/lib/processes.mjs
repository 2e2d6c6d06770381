// The servers the dev stack runs as child processes: stopping them, waiting for them, finding out what
// holds a port or a data folder.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export function childStopper(child, signal, onStopped) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('error', () => {});
  const isRunning = () => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  const stopOnExit = () => isRunning() && child.kill(signal);
  process.on('exit', stopOnExit);
  let stopping;
  return () =>
    (stopping ??= (async () => {
      process.off('exit', stopOnExit);
      if (!isRunning()) return;
      child.kill(signal);
      const timedOut = await Promise.race([exited.then(() => false), sleep(10_000, true, { ref: false })]);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
      onStopped();
    })());
}

export async function waitUntil(timeoutMs, child, isReady) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    }
    if (await isReady()) return;
    await sleep(250);
  }
  throw new Error(`the server was not ready within ${timeoutMs / 1000} s`);
}

export async function cliSucceeds(cli, args) {
  try {
    await execFileAsync(cli, args, { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

export function isListening(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 1_000 });
    const answer = (listening) => {
      socket.destroy();
      resolve(listening);
    };
    socket.once('connect', () => answer(true));
    socket.once('error', () => answer(false));
    socket.once('timeout', () => answer(false));
  });
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

export function parentPid(pid) {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^PPid:\s*(\d+)/m)[1]);
  } catch {
    try {
      return Number(execFileSync('ps', ['-p', String(pid), '-o', 'ppid='], { encoding: 'utf8' }));
    } catch {
      return 0;
    }
  }
}

export function commandLine(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    try {
      return execFileSync('ps', ['-p', String(pid), '-o', 'args='], { encoding: 'utf8' });
    } catch {
      return '';
    }
  }
}
