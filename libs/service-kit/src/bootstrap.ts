import { Logger, ValidationPipe, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DOMAIN_NAMES, type Domain } from '@handoffs/contracts';
import { ConfigurationError, loadServiceConfig, type ServiceConfig } from './config';
import { JsonLogger } from './json-logger';
import { closeOnSignals } from './shutdown';
import { fieldProblems, invalidRequest, ProblemDetailsFilter } from './problem-details';
import { installTemporalRuntime } from '@handoffs/temporal';

export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => invalidRequest(fieldProblems(errors)),
});

/** Builds the HTTP application of a domain service: Fastify, problem+json, validation, OpenAPI at /docs. */
export async function createServiceApp(
  config: ServiceConfig,
  rootModule: DynamicModule,
  logger = new JsonLogger(config.domain),
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: 256 * 1024 });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, { logger });
  app.useGlobalPipes(validationPipe);
  app.useGlobalFilters(new ProblemDetailsFilter());

  const openApi = new DocumentBuilder()
    .setTitle(`${config.domain} service`)
    .setDescription(`HTTP API of the ${DOMAIN_NAMES[config.domain]}: handoffs, inbox, transfer log.`)
    .setVersion('0.1.0')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** What a service runs beside HTTP: e.g. a @nestjs/microservices transport listener (a hybrid app). */
export interface ServiceOptions {
  microservices?: (config: ServiceConfig) => MicroserviceOptions[];
}

/** Makes the app hybrid: connects each microservice transport and starts listening on it. */
export async function startServiceMicroservices(app: INestApplication, microservices: MicroserviceOptions[]): Promise<void> {
  if (microservices.length === 0) return;
  for (const options of microservices) {
    app.connectMicroservice<MicroserviceOptions>(options);
  }
  await app.startAllMicroservices();
}

/** The `main.ts` of every service: configuration from env (a clear message and exit 1 if wrong), then listen. */
export async function runService(
  domain: Domain,
  rootModuleFor: (config: ServiceConfig) => DynamicModule,
  options: ServiceOptions = {},
): Promise<void> {
  const logger = new JsonLogger(domain);
  let config: ServiceConfig;
  try {
    config = loadServiceConfig(domain);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${domain}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  installTemporalRuntime((level, message, meta) => logger.entry(level, message, 'Temporal', meta));
  const app = await createServiceApp(config, rootModuleFor(config), logger);
  await startServiceMicroservices(app, options.microservices?.(config) ?? []);
  await app.listen(config.port, config.host);
  const bootstrapLog = new Logger('Bootstrap');
  bootstrapLog.log(`Listening on ${config.host}:${config.port}; API docs at /docs`);
  // The worker drains (running activities finish) before the process exits; anything still
  // unfinished after the grace time is retried by Temporal on another worker.
  closeOnSignals(app, bootstrapLog);
}
