import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

const CONTROLLER = path.resolve(__dirname, '..', '..', 'scripts', 'lib', 'fault-stack.mjs');

export type Server = 'temporal' | 'postgres';

/**
 * The fault tests' own Temporal dev server and PostgreSQL, run by scripts/lib/fault-stack.mjs (the
 * ESM scripts that start them cannot be imported from jest's CommonJS): started fresh, restarted on
 * command on the same state, stopped at the end.
 */
export class FaultStack {
  private readonly answers: { [line: string]: unknown }[] = [];
  private waiting?: () => void;
  readonly log: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly temporalAddress: string,
    readonly databaseUrl: string,
  ) {}

  /** Starts both servers; fails with the controller's log if they are not up within `timeoutMs`. */
  static async start(timeoutMs = 120_000): Promise<FaultStack> {
    const child = spawn(process.execPath, [CONTROLLER], { stdio: ['pipe', 'pipe', 'pipe'] });
    const log: string[] = [];
    child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    const lines = createInterface({ input: child.stdout! });
    const ready = await new Promise<{ temporalAddress: string; databaseUrl: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the fault stack did not start within ${timeoutMs / 1000} s:\n${log.join('')}`)), timeoutMs);
      child.once('exit', (code) => reject(new Error(`the fault stack exited (${code}) before it was ready:\n${log.join('')}`)));
      lines.once('line', (line) => {
        clearTimeout(timer);
        const message = JSON.parse(line) as { ready?: { temporalAddress: string; databaseUrl: string } };
        if (message.ready) resolve(message.ready);
        else reject(new Error(`the fault stack said ${line}`));
      });
    });
    const stack = new FaultStack(child, ready.temporalAddress, ready.databaseUrl);
    stack.log.push(...log);
    child.stderr!.on('data', (chunk: Buffer) => stack.log.push(chunk.toString()));
    lines.on('line', (line) => {
      stack.answers.push(JSON.parse(line) as { [line: string]: unknown });
      stack.waiting?.();
    });
    return stack;
  }

  /** Stops the server and starts it again on its state; resolves once it is ready. */
  restart(server: Server, timeoutMs = 120_000): Promise<void> {
    return this.command(`restart ${server}`, timeoutMs);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.command('stop', 60_000).catch(() => this.child.kill('SIGTERM'));
    await exited;
  }

  private async command(command: string, timeoutMs: number): Promise<void> {
    this.answers.length = 0;
    this.child.stdin!.write(`${command}\n`);
    const deadline = Date.now() + timeoutMs;
    while (this.answers.length === 0) {
      if (Date.now() > deadline) throw new Error(`the fault stack did not "${command}" within ${timeoutMs / 1000} s:\n${this.log.join('').slice(-3000)}`);
      if (this.child.exitCode !== null) throw new Error(`the fault stack exited during "${command}":\n${this.log.join('').slice(-3000)}`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 500);
      });
    }
    const [answer] = this.answers as { done?: string; failed?: string; error?: string }[];
    if (!answer.done) throw new Error(`the fault stack could not "${command}": ${answer.error}\n${this.log.join('').slice(-3000)}`);
  }
}
