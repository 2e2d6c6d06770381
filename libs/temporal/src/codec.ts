// What a codec server needs, without the worker and client this library also holds.
export * from './codec-protocol';
export * from './payload-encryption';
