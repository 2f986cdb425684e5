export * from './images';
export * from './postgres';
export * from './service';
export * from './http';
export * from './data';
