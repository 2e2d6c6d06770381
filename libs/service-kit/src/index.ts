export * from './bootstrap';
export * from './config';
export * from './database';
export * from './health.controller';
export * from './json-logger';
export * from './problem-details';
export * from './domain-service.module';
