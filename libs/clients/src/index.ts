export * from './bookshop-client';
export * from './rest.client';
export * from './soap.client';
export * from './graphql.client';
export * from './jsonrpc.client';
export * from './websocket.client';
export * from './catalogue.client';
export * from './connect';
