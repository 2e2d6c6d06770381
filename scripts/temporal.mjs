import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { ensureTemporalCli } from './lib/temporal-cli.mjs';

let cli;
try {
  cli = await ensureTemporalCli();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
if (!cli) {
  console.error('No Temporal CLI binary to run: the SDK download only provides a server. Install Go or the Temporal CLI, or set TEMPORAL_CLI_PATH.');
  process.exit(1);
}

// The CLI reads TEMPORAL_ADDRESS for every command that talks to a server, so `server …`,
// `env …` and `--version` are unaffected and an explicit --address still wins.
const env = { ...process.env, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233' };
const child = spawn(cli, process.argv.slice(2), { stdio: 'inherit', env });

// Ctrl-C already reaches the CLI through the terminal; signals sent to this process only are passed on.
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + constants.signals[signal]));
