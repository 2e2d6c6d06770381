import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { NativeConnection, Worker, type State } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { handoffDataConverter } from './data-converter';
import type { PayloadKeySet } from './payload-encryption';
import { workflowCodeOptions } from './workflow-code';

export const TEMPORAL_SETTINGS = Symbol('TEMPORAL_SETTINGS');
export const WORKER_ACTIVITIES = Symbol('WORKER_ACTIVITIES');

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  /** Whether this domain hosts workflows (it owns a process) or only activities. */
  hostsWorkflows: boolean;
  workflowBundlePath?: string;
  /** How long in-flight activities get to finish on shutdown before they are cancelled (and retried elsewhere). */
  shutdownGraceTime: Duration;
  /** The keys payloads are encrypted with; the client and the worker share them. */
  payloadKeys: PayloadKeySet;
}

/**
 * The domain's Temporal client and its worker on the domain's own task queue, tied to the Nest
 * lifecycle: the worker starts when the app is up and drains on SIGTERM before the app closes.
 */
@Injectable()
export class TemporalWorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('TemporalWorker');
  private worker?: Worker;
  private running?: Promise<void>;
  private clientConnection?: Connection;
  private workerConnection?: NativeConnection;
  private client?: Client;

  constructor(
    @Inject(TEMPORAL_SETTINGS) private readonly settings: TemporalSettings,
    @Inject(WORKER_ACTIVITIES) private readonly activities: object,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { address, namespace, taskQueue } = this.settings;
    const dataConverter = handoffDataConverter(this.settings.payloadKeys);
    this.clientConnection = await Connection.connect({ address });
    this.client = new Client({ connection: this.clientConnection, namespace, dataConverter });
    this.workerConnection = await NativeConnection.connect({ address });
    this.worker = await Worker.create({
      connection: this.workerConnection,
      namespace,
      taskQueue,
      activities: this.activities,
      dataConverter,
      shutdownGraceTime: this.settings.shutdownGraceTime,
      ...(this.settings.hostsWorkflows ? workflowCodeOptions(this.settings.workflowBundlePath) : {}),
    });
    this.running = this.worker.run().catch((error: unknown) => {
      this.logger.error(`Worker stopped with an error: ${(error as Error).name}`);
      process.exitCode = 1;
      process.kill(process.pid, 'SIGTERM');
    });
    this.logger.log(`Worker polling task queue ${taskQueue}`);
  }

  get temporalClient(): Client {
    if (!this.client) {
      throw new Error('Temporal client used before the application started');
    }
    return this.client;
  }

  workerState(): State | 'NOT_STARTED' {
    return this.worker?.getState() ?? 'NOT_STARTED';
  }

  async temporalReachable(timeoutMs = 2000): Promise<boolean> {
    const connection = this.clientConnection;
    if (!connection) {
      return false;
    }
    try {
      await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
      return true;
    } catch {
      return false;
    }
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') {
      this.logger.log(`Draining the worker (${signal ?? 'shutdown'})`);
      this.worker.shutdown();
    }
    await this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.workerConnection?.close();
    await this.clientConnection?.close();
  }
}
