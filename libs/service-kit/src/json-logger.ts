import type { LoggerService, LogLevel } from '@nestjs/common';

/**
 * One JSON object per line. Messages are written by our code only (never request bodies or
 * payloads), so they carry case references and IDs but no personal data.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  ) {}

  log(message: unknown, context?: string): void {
    this.emit('info', message, context);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest.at(-1) as string | undefined);
  }
  warn(message: unknown, context?: string): void {
    this.emit('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.emit('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.emit('verbose', message, context);
  }

  /** A line from another logging source (the Temporal SDK), with its structured fields kept. */
  entry(level: string, message: string, context: string, fields?: Record<string, unknown>): void {
    this.write(JSON.stringify({ time: new Date().toISOString(), level, service: this.service, context, msg: message, ...fields }));
  }

  private emit(level: LogLevel | 'info', message: unknown, context?: string): void {
    const msg = message instanceof Error ? `${message.name}: ${message.message}` : String(message);
    this.entry(level, msg, context ?? 'App');
  }
}
