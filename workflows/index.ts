// Workflow entry point: the worker bundles this file. Deterministic code only (see eslint.config.mjs).
export * from './status-clarification';
