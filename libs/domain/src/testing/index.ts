export * from './in-memory-store';
export * from './builders';
