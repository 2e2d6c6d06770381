// Workflow entry point: the worker bundles this file. Deterministic code only (see eslint.config.mjs).
export * from './status-clarification/workflow';
export * from './legal-domain-transfer/workflow';
export * from './agency-referral/workflow';
export * from './deportation/workflow';
// The messages, for tests that drive workflows directly; services import @handoffs/workflows/messages.
export * from '@handoffs/workflows/messages';
