export * from './in-memory-store';
export * from './builders';
export * from './take';
export * from './contract-errors';
