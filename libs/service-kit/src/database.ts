import { Logger, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { ServiceConfig } from './config';

export interface ServiceDatabase {
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
}

/** The DataSource of one service: its own schema as search_path, migrations only, never synchronize. */
export function dataSourceOptions(config: ServiceConfig, database: ServiceDatabase): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    schema: config.databaseSchema,
    entities: database.entities,
    migrations: database.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: false,
    extra: { options: `-c search_path=${config.databaseSchema}`, max: 10, connectionTimeoutMillis: 5000 },
  };
}

/** Creates the schema if needed and applies pending migrations, one instance at a time. */
export async function migrate(dataSource: DataSource, schema: string): Promise<void> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [schema]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) {
      new Logger('Database').log(`Applied migrations: ${applied.map((m) => m.name).join(', ')}`);
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [schema]).catch(() => undefined);
    await lock.release();
  }
}

export function databaseModule(config: ServiceConfig, database: ServiceDatabase): DynamicModule {
  return TypeOrmModule.forRootAsync({
    useFactory: () => dataSourceOptions(config, database),
    dataSourceFactory: async (options) => {
      const dataSource = await new DataSource(options ?? dataSourceOptions(config, database)).initialize();
      await migrate(dataSource, config.databaseSchema);
      return dataSource;
    },
  });
}
