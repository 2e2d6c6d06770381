import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

/**
 * Routes the Temporal SDK's own log lines (worker state, activity failures) into the service's
 * JSON log. Called once, before any connection or worker is created.
 */
export function installTemporalRuntime(
  write: (level: string, message: string, fields?: Record<string, unknown>) => void,
  level: LogLevel = 'INFO',
): void {
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => write(entry.level.toLowerCase(), entry.message, entry.meta)),
  });
}
