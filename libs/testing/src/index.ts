export * from './fixtures';
export * from './stack';
export * from './service-process';
export * from './workflow-environment';
export * from './e2e-stack';
export * from './codec-server';
export * from './handoff-requests';
export * from './identity-provider';
