import { DynamicModule, Module, type FactoryProvider } from '@nestjs/common';
import { TEMPORAL_SETTINGS, TemporalWorkerHost, WORKER_ACTIVITIES, type TemporalSettings } from './temporal-worker.host';

export interface TemporalModuleOptions {
  settings: TemporalSettings;
  /** Builds the activities this domain's worker hosts, from injected dependencies (e.g. its DataSource). */
  activities: Omit<FactoryProvider<object>, 'provide'>;
}

@Module({})
export class TemporalModule {
  static forService(options: TemporalModuleOptions): DynamicModule {
    return {
      module: TemporalModule,
      global: true,
      providers: [
        { provide: TEMPORAL_SETTINGS, useValue: options.settings },
        { provide: WORKER_ACTIVITIES, ...options.activities },
        TemporalWorkerHost,
      ],
      exports: [TemporalWorkerHost],
    };
  }
}
