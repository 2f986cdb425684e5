import { parseEnvironment } from '@bookshop/platform';
import { z } from 'zod';

const positive = z
  .string()
  .regex(/^[1-9]\d*$/, 'must be a positive integer')
  .transform(Number);

export interface WebsocketSettings {
  /** How often the server pings each client; a client that missed the last ping is dropped. */
  heartbeatMs: number;
  /** Unsent bytes a connection may have before it is closed as a slow consumer. */
  maxBufferedBytes: number;
}

export function loadWebsocketSettings(env: Record<string, string | undefined>): WebsocketSettings {
  const values = parseEnvironment(
    z.object({ WS_HEARTBEAT_MS: positive.optional(), WS_MAX_BUFFERED_BYTES: positive.optional() }),
    env,
    'websocket',
  );
  return {
    heartbeatMs: values.WS_HEARTBEAT_MS ?? 30_000,
    maxBufferedBytes: values.WS_MAX_BUFFERED_BYTES ?? 4 * 1024 * 1024,
  };
}

export const WEBSOCKET_SETTINGS = Symbol('WEBSOCKET_SETTINGS');
