/**
 * Where each service listens unless `PORT` says otherwise (CONTRACT.md,
 * "Per protocol"). The launchers, the images, the compose file's defaults and
 * the tests read this one table.
 */
export const DEFAULT_PORTS = {
  explorer: 3000,
  rest: 3001,
  soap: 3002,
  graphql: 3003,
  jsonrpc: 3004,
  websocket: 3005,
} as const;

export type ServiceName = keyof typeof DEFAULT_PORTS;
