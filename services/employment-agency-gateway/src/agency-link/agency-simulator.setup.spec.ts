import { ClientTCP } from '@nestjs/microservices';
import { Client, Connection } from '@temporalio/client';
import { firstValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { startServiceMicroservices } from '@handoffs/service-kit';
import { startInProcess, type InProcessService } from '@handoffs/service-kit/testing';
import { freePort, ServiceProcess, testStack, testDataConverter } from '@handoffs/testing';
import { AppModule } from '../app.module';
import { agencyListenerOptions, type AgencyTransportSettings } from '../agency-referral/agency-transport';
import { AgencyLink } from './agency-link';

/** What the gateway's listener throws back when it does not take a message. */
export interface ListenerRefusal {
  status?: string;
  problems?: string[];
}

/** The gateway in-process with its listener, the agency simulator built and run as its own process, and a Temporal client. */
export class GatewayWithSimulator {
  service!: InProcessService;
  simulator!: ServiceProcess;
  temporal!: Client;
  dataSource!: DataSource;
  settings!: AgencyTransportSettings;
  link!: AgencyLink;
  private connection?: Connection;

  async start(answerDelay: string): Promise<void> {
    const [listenPort, agencyPort, simulatorHttpPort] = await Promise.all([freePort(), freePort(), freePort()]);
    this.settings = { listenHost: '127.0.0.1', listenPort, agencyHost: '127.0.0.1', agencyPort, sendTimeoutMs: 5000 };
    this.service = await startInProcess('employment-agency-gateway', (config) => AppModule.forRoot(config, this.settings));
    await startServiceMicroservices(this.service.app, [agencyListenerOptions(this.settings)]);
    this.simulator = new ServiceProcess('agency-simulator', simulatorHttpPort, {
      AGENCY_TRANSPORT_PORT: String(agencyPort),
      AGENCY_GATEWAY_ADDRESS: `127.0.0.1:${listenPort}`,
      AGENCY_ANSWER_DELAY: answerDelay,
      AGENCY_ANSWER_RETRY: '300',
    });
    await this.simulator.start();
    this.connection = await Connection.connect({ address: testStack().temporalAddress });
    this.temporal = new Client({ connection: this.connection, namespace: this.service.config.temporalNamespace, dataConverter: testDataConverter() });
    this.dataSource = this.service.app.get(DataSource);
    this.link = this.service.app.get(AgencyLink);
  }

  async stop(): Promise<void> {
    await this.simulator?.stop();
    await this.service?.app.close();
    await this.connection?.close();
  }

  /** Starts a workflow on a queue no worker polls: it only collects the gateway's Signals. */
  async collectSignals(workflowType: string, workflowId: string): Promise<void> {
    await this.temporal.workflow.start(workflowType, { workflowId, taskQueue: 'nobody-polls-this', args: [] });
  }

  async signalsTo(workflowId: string, signalName: string): Promise<{ input?: unknown }[]> {
    const history = await this.temporal.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? [])
      .map((event) => event.workflowExecutionSignaledEventAttributes)
      .filter((signal) => signal?.signalName === signalName) as { input?: unknown }[];
  }

  /** Sends a message to the gateway's listener as the agency would: what it throws back, or nothing where it takes it. */
  async refusalOf(pattern: string, message: unknown): Promise<ListenerRefusal | undefined> {
    const client = new ClientTCP({ host: '127.0.0.1', port: this.settings.listenPort });
    try {
      return await firstValueFrom(client.send(pattern, message)).then(
        () => undefined,
        (error: ListenerRefusal) => error,
      );
    } finally {
      client.close();
    }
  }
}

/**
 * The gateway and the agency simulator (deciding after `answerDelay` milliseconds), started before the
 * suite and stopped after it: a set-up the specs share, not a suite of its own.
 */
export function withAgencySimulator(answerDelay: string): GatewayWithSimulator {
  const gateway = new GatewayWithSimulator();
  beforeAll(() => gateway.start(answerDelay));
  afterAll(() => gateway.stop());
  return gateway;
}
