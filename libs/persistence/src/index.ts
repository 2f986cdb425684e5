export * from './database';
export * from './drizzle-store';
export * from './event-feed';
export * from './event-sequencer';
export * from './seed';
export { schema } from './schema';
export * from './pglite-server';
