import { parseEnvironment } from '@bookshop/platform';
import { z } from 'zod';

const positive = z
  .string()
  .regex(/^[1-9]\d*$/, 'must be a positive integer')
  .transform(Number);

export interface WebsocketSettings {
  /** How often the server pings each client; a client that missed the last ping is dropped. */
  heartbeatMs: number;
  /** Unsent bytes a connection may have before it is closed as a slow consumer (replies and pushes). */
  maxBufferedBytes: number;
  /** Frames one connection may have in flight; past it the server stops reading that connection. */
  maxInFlight: number;
  /** Connections one instance holds; one more is closed with 1013. */
  maxConnections: number;
  /** Topics one connection may subscribe to. */
  maxTopics: number;
}

export function loadWebsocketSettings(env: Record<string, string | undefined>): WebsocketSettings {
  const values = parseEnvironment(
    z.object({
      WS_HEARTBEAT_MS: positive.optional(),
      WS_MAX_BUFFERED_BYTES: positive.optional(),
      WS_MAX_IN_FLIGHT: positive.optional(),
      WS_MAX_CONNECTIONS: positive.optional(),
      WS_MAX_TOPICS: positive.optional(),
    }),
    env,
    'websocket',
  );
  return {
    heartbeatMs: values.WS_HEARTBEAT_MS ?? 30_000,
    maxBufferedBytes: values.WS_MAX_BUFFERED_BYTES ?? 4 * 1024 * 1024,
    maxInFlight: values.WS_MAX_IN_FLIGHT ?? 32,
    maxConnections: values.WS_MAX_CONNECTIONS ?? 10_000,
    maxTopics: values.WS_MAX_TOPICS ?? 100,
  };
}

export const WEBSOCKET_SETTINGS = Symbol('WEBSOCKET_SETTINGS');
