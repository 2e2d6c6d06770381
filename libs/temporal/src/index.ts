export * from './temporal-worker.host';
export * from './temporal.module';
export * from './workflow-code';
export * from './runtime';
export * from './payload-encryption';
export * from './data-converter';
export * from './codec-protocol';
