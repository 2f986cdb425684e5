export * from './images';
export * from './container-runtime';
export * from './postgres';
export * from './service';
export * from './http';
export * from './data';
export * from './service-containers';
export * from './builders';
