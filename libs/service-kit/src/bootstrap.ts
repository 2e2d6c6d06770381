import { BadRequestException, Logger, ValidationPipe, type ArgumentMetadata, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DOMAIN_NAMES, type Domain } from '@handoffs/contracts';
import { ConfigurationError, loadServiceConfig, type ServiceConfig } from './config';
import { JsonLogger } from './json-logger';
import { closeOnSignals } from './shutdown';
import { fieldProblems, invalidRequest, ProblemDetailsFilter, type FieldProblem } from './problem-details';
import { publishValidation } from './openapi-contract';
import { installTemporalRuntime } from '@handoffs/temporal';

/** Where `value` holds keys that name a member of every object (toString, constructor, …) or `prototype`, as dotted paths. */
export function objectMemberKeys(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const field = path ? `${path}.${key}` : key;
    return [...(key in Object.prototype || key === 'prototype' ? [field] : []), ...objectMemberKeys(inner, field)];
  });
}

/**
 * The validation pipe, which also refuses keys named like members of every object: class-transformer
 * drops them (or, in a query, keeps `prototype`) without forbidNonWhitelisted seeing them, so the
 * request would pass with an unknown field.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const members = metadata.type === 'body' || metadata.type === 'query' ? objectMemberKeys(value) : [];
    if (members.length === 0) return super.transform(value, metadata);
    // Named together with whatever else is wrong, as every bad field is.
    const problems: FieldProblem[] = members.map((field) => ({ field, problems: [`property ${field} should not exist`] }));
    try {
      await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof BadRequestException)) throw error;
      problems.push(...((error.getResponse() as { errors?: FieldProblem[] }).errors ?? []));
    }
    throw invalidRequest(problems);
  }
}

export const validationPipe = new RequestValidationPipe({
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
  SwaggerModule.setup('docs', app, () => publishValidation(SwaggerModule.createDocument(app, openApi)), { jsonDocumentUrl: 'docs-json' });
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
