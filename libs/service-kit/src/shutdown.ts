import type { INestApplicationContext, Logger } from '@nestjs/common';

/** On SIGTERM or SIGINT the app closes (its shutdown hooks run) and the process exits: 0, or 1 if closing failed. */
export function closeOnSignals(app: INestApplicationContext, log: Logger): void {
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      log.log(`${signal}: shutting down`);
      app.close().then(
        () => process.exit(),
        (error: unknown) => {
          log.error(`Shutdown failed: ${(error as Error).name}`);
          process.exit(1);
        },
      );
    });
  }
}
