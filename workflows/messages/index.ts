// The messages of every process (Updates, Signals, Queries) and the workflow types services start them by:
// what services import to talk to a workflow, without its code (a lint rule keeps it so).
export * from './agency-referral';
export * from './deadline';
export * from './deportation';
export * from './legal-domain-transfer';
export * from './status-clarification';
export * from './workflow-type';
