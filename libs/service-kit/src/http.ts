// What an HTTP service outside the domain-service shape (the codec server) shares with the domain
// services: JSON logs, problem+json and configuration errors, without their database and worker.
export * from './configuration-error';
export * from './json-logger';
export * from './problem-details';
export * from './shutdown';
