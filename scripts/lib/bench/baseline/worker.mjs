// The raw-Temporal baseline's worker, run as its own process: plain @temporalio/worker, no Nest, no
// database, SDK defaults. One worker per task queue, as our services have: the immigration queue
// hosts the workflow and the immigration steps, the job-centre queue the job-centre steps. Every
// activity body is empty. Prints "ready" once both poll; stops on SIGTERM/SIGINT.
// Env: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE.
import { fileURLToPath } from 'node:url';
import { NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { TASK_QUEUES } from './workflows.mjs';

const empty = async () => undefined;
const IMMIGRATION_STEPS = { recordTransfer: empty, findCurrentStatus: empty, openInboxTask: empty, closeInboxTask: empty };
const JOB_CENTRE_STEPS = { recordTransfer: empty, deliverStatusAnswer: empty, openInboxTask: empty };

Runtime.install({ logger: new DefaultLogger('WARN') });
const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const workers = await Promise.all([
  Worker.create({
    connection,
    namespace,
    taskQueue: TASK_QUEUES.immigration,
    workflowsPath: fileURLToPath(new URL('./workflows.mjs', import.meta.url)),
    activities: IMMIGRATION_STEPS,
  }),
  Worker.create({ connection, namespace, taskQueue: TASK_QUEUES.jobCentre, activities: JOB_CENTRE_STEPS }),
]);
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => workers.forEach((worker) => worker.shutdown()));
const running = Promise.all(workers.map((worker) => worker.run()));
console.log('ready');
await running;
await connection.close();
