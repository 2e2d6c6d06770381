import * as path from 'node:path';
import type { DynamicModule, Provider, Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { domainService } from '@handoffs/contracts';
import {
  createHandoffRecordActivities,
  HANDOFF_RECORD_ENTITIES,
  HANDOFF_RECORD_MIGRATIONS,
  HandoffRecordsModule,
} from '@handoffs/handoff-records';
import { TemporalModule } from '@handoffs/temporal';
import { SERVICE_CONFIG, type ServiceConfig } from './config';
import { databaseModule, type ServiceDatabase } from './database';
import { DeadlineController } from './deadline.controller';
import { HealthController } from './health.controller';

export interface DomainServiceParts {
  entities?: Type[];
  /** The domain's own migrations; the inbox and transfer-log ones are added for every domain. */
  migrations: ServiceDatabase['migrations'];
  /** The domain's own activities, beside the inbox and transfer-log activities every domain hosts. */
  activities?: (dataSource: DataSource) => object;
  controllers?: Type[];
  providers?: Provider[];
}

/** The one shape of every domain service: its database, its worker, inbox, transfer log and health. */
export function domainServiceModule(module: Type, config: ServiceConfig, parts: DomainServiceParts): DynamicModule {
  // Whether it owns processes and so runs their workflows: the roster says (libs/contracts/src/services.json).
  const { taskQueue, hostsWorkflows } = domainService(config.domain);
  return {
    module,
    imports: [
      databaseModule(config, {
        entities: [...HANDOFF_RECORD_ENTITIES, ...(parts.entities ?? [])],
        migrations: [...new Set([...HANDOFF_RECORD_MIGRATIONS, ...(parts.migrations as [])])],
      }),
      TemporalModule.forService({
        settings: {
          address: config.temporalAddress,
          namespace: config.temporalNamespace,
          taskQueue,
          hostsWorkflows,
          workflowBundlePath: config.workflowBundlePath ?? path.join(__dirname, 'workflow-bundle.js'),
          shutdownGraceTime: config.shutdownGraceTime,
          payloadKeys: config.payloadKeys,
        },
        activities: {
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            ...createHandoffRecordActivities(dataSource),
            ...(parts.activities?.(dataSource) ?? {}),
          }),
        },
      }),
      HandoffRecordsModule.forDomain({ stepPolicy: config.stepPolicy, slaOverrides: config.slaOverrides }),
    ],
    controllers: [HealthController, DeadlineController, ...(parts.controllers ?? [])],
    providers: [{ provide: SERVICE_CONFIG, useValue: config }, ...(parts.providers ?? [])],
  };
}
