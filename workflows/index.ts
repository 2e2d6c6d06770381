// Workflow entry point: the worker bundles this file. Deterministic code only (see eslint.config.mjs).
export * from './status-clarification';
export * from './shared';
export * from './legal-domain-transfer';
export * from './agency-referral';
export * from './deportation';
