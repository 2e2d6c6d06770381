export * from './activities';
export * from './case-ref';
export * from './domains';
export * from './handoff';
export * from './search-attributes';
export * from './sla';
export * from './status-clarification';
export * from './transfers';
