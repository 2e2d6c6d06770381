import 'reflect-metadata';
import { Logger, Module, type DynamicModule, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AgencyDesk } from './agency-desk';
import { ConsentDesk } from './consent-desk';
import { SIMULATOR_SETTINGS, simulatorSettings, type SimulatorSettings } from './settings';
import { ConsentIntakeController, ReferralIntakeController, SimulatorHealthController } from './simulator.controllers';

/** JSON lines, like the services: IDs and case references only. */
const jsonLines: LoggerService = Object.fromEntries(
  (['log', 'error', 'warn', 'debug', 'verbose'] as const).map((level) => [
    level,
    (message: unknown, ...rest: unknown[]) =>
      process.stdout.write(
        JSON.stringify({ time: new Date().toISOString(), level: level === 'log' ? 'info' : level, service: 'agency-simulator', context: rest.at(-1), msg: String(message) }) + '\n',
      ),
  ]),
) as unknown as LoggerService;

@Module({})
class SimulatorModule {
  static forRoot(settings: SimulatorSettings): DynamicModule {
    return {
      module: SimulatorModule,
      controllers: [ReferralIntakeController, ConsentIntakeController, SimulatorHealthController],
      providers: [{ provide: SIMULATOR_SETTINGS, useValue: settings }, AgencyDesk, ConsentDesk],
    };
  }
}

/** The employment agency's system, simulated: the TCP transport of @nestjs/microservices, plus /health over HTTP. */
async function main(): Promise<void> {
  let settings: SimulatorSettings;
  try {
    settings = simulatorSettings();
  } catch (error) {
    process.stderr.write(`agency-simulator: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const app = await NestFactory.create<NestFastifyApplication>(SimulatorModule.forRoot(settings), new FastifyAdapter(), { logger: jsonLines });
  app.connectMicroservice<MicroserviceOptions>({ transport: Transport.TCP, options: { host: settings.host, port: settings.transportPort } });
  await app.startAllMicroservices();
  await app.listen(settings.httpPort, settings.host);
  const log = new Logger('Bootstrap');
  log.log(`Agency simulator: transport on ${settings.host}:${settings.transportPort}, health on :${settings.httpPort}, answers to ${settings.gatewayHost}:${settings.gatewayPort} after ${settings.answerDelayMs} ms`);

  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      log.log(`${signal}: stopping`);
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

void main();
