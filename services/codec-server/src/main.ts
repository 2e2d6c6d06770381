import 'reflect-metadata';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { closeOnSignals, ConfigurationError, JsonLogger, ProblemDetailsFilter } from '@handoffs/service-kit/http';
import { CodecController } from './codec.controller';
import { HealthController } from './health.controller';
import { LoginController } from './login.controller';
import { CODEC_SERVER_SETTINGS, codecServerSettings, type CodecServerSettings } from './settings';
import { SupervisorSessions } from './supervisor-sessions';
import { SupervisorGuard } from './supervisor.guard';

@Module({})
class CodecServerModule {
  static forRoot(settings: CodecServerSettings, logger: JsonLogger): DynamicModule {
    return {
      module: CodecServerModule,
      controllers: [CodecController, LoginController, HealthController],
      providers: [{ provide: CODEC_SERVER_SETTINGS, useValue: settings }, { provide: JsonLogger, useValue: logger }, SupervisorSessions, SupervisorGuard],
    };
  }
}

/** Only the Web UI's origins get a CORS grant, with credentials (the login cookie) and the headers the UI sends. */
function corsFor(allowedOrigins: string[]): Parameters<NestFastifyApplication['enableCors']>[0] {
  return {
    origin: (origin, callback) => callback(null, origin !== undefined && allowedOrigins.includes(origin) ? origin : false),
    credentials: true,
    methods: ['POST'],
    allowedHeaders: ['Content-Type', 'X-Namespace', 'Authorization'],
    maxAge: 600,
  };
}

/** The protocol routes by the last path segment only, so the codec can sit under any path prefix. */
function routeByLastSegment(url: string): string {
  const [path, query] = url.split('?', 2);
  const operation = /\/(decode|encode)$/.exec(path)?.[1];
  return operation ? `/${operation}${query === undefined ? '' : `?${query}`}` : url;
}

/** The codec server: decodes (and encodes) payloads for supervisors, for the Web UI and the CLI. */
async function main(): Promise<void> {
  const logger = new JsonLogger('codec-server');
  let settings: CodecServerSettings;
  try {
    settings = codecServerSettings();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    process.stderr.write(`codec-server: ${error.message}\n`);
    process.exit(1);
  }
  const adapter = new FastifyAdapter({ bodyLimit: 8 * 1024 * 1024, rewriteUrl: (request: { url?: string }) => routeByLastSegment(request.url ?? '/') });
  const app = await NestFactory.create<NestFastifyApplication>(CodecServerModule.forRoot(settings, logger), adapter, { logger });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableCors(corsFor(settings.allowedOrigins));
  await app.listen(settings.port, settings.host);
  const log = new Logger('Bootstrap');
  log.log(
    `Codec server on ${settings.host}:${settings.port}: keys ${settings.payloadKeys.keyIds.join(', ')} (current ${settings.payloadKeys.currentKeyId}), ` +
      `${settings.supervisors.supervisorIds.length} supervisor(s), browser origins ${settings.allowedOrigins.join(', ') || 'none'}`,
  );
  closeOnSignals(app, log);
}

void main();
