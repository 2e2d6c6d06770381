export * from './deadline-messages';
