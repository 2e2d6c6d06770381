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
const args = process.argv.slice(2);

// `workflow list` without an output format: a table with the supervisor's columns, so that a
// query like 'Stuck = true' shows where each handoff waits, since when it is due and why it is stuck.
if (args[0] === 'workflow' && args[1] === 'list' && !args.some((arg) => /^(-o|--output)(=|$)/.test(arg))) {
  const listed = spawn(cli, [...args, '--output', 'json'], { stdio: ['inherit', 'pipe', 'inherit'], env });
  let json = '';
  listed.stdout.on('data', (chunk) => (json += chunk));
  listed.on('exit', (code) => {
    if (code !== 0) process.exit(code ?? 1);
    printHandoffTable(json.trim() ? JSON.parse(json) : []);
    process.exit(0);
  });
} else {
  passThrough();
}

function searchAttribute(execution, name) {
  const payload = execution.searchAttributes?.indexedFields?.[name];
  if (!payload?.data) return '';
  const value = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8'));
  return value === null ? '' : String(value);
}

function printHandoffTable(executions) {
  const columns = ['WorkflowId', 'Status', 'HandoffStage', 'WaitingOn', 'DueAt', 'Stuck', 'StuckReason', 'EscalationLevel'];
  const rows = executions.map((execution) => [
    execution.execution.workflowId,
    execution.status.replace('WORKFLOW_EXECUTION_STATUS_', ''),
    ...columns.slice(2).map((name) => searchAttribute(execution, name)),
  ]);
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => row[i].length)));
  for (const row of [columns, ...rows]) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
  if (rows.length === 0) console.log('(no workflows match)');
}

function passThrough() {
  const child = spawn(cli, args, { stdio: 'inherit', env });

  // Ctrl-C already reaches the CLI through the terminal; signals sent to this process only are passed on.
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + constants.signals[signal]));
}
