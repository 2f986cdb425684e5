import { type EventSubscription } from '@bookshop/domain';
import { WebSocket } from 'ws';
import { CLOSE } from './websocket-errors';

/** What the gateway keeps per connection. */
export interface Connection {
  /** "Bearer <key>", from the upgrade request or the `auth` op. */
  authorization?: string;
  /** Frames received so far. */
  frames: number;
  /** The first frame was `auth`: the only place `auth` is taken. */
  firstFrameIsAuth: boolean;
  /** An `auth` frame was handled already; a second one is refused. */
  authTried: boolean;
  /** The client's address, for the rate limits. */
  address?: string;
  /** Unsent bytes past which the connection is closed as a slow consumer. */
  maxBufferedBytes: number;
  /** Answered the last ping. */
  alive: boolean;
  /** The topics events are pushed for. */
  topics: Set<string>;
  /** The one feed subscription that serves them, in seq order. */
  subscription?: EventSubscription;
  /** The last seq pushed. */
  lastSeq: number;
  /**
   * After a second `subscribe`, the new feed subscription may replay events
   * the old one already pushed: those with seq ≤ `skip.upTo` that matched the
   * old topics are skipped, so nothing is pushed twice.
   */
  skip?: { upTo: number; topics: Set<string> };
  /** The upgrade request's `traceparent`: the parent of the connection's operation spans. */
  traceparent?: string;
  /** Counts each frame sent (the response-bytes metric). */
  onSent?: (bytes: number) => void;
  /** The request frames read and not yet answered. */
  running: Set<Promise<void>>;
  /** The server is stopping: no further frame is read or run (see BookshopGateway's shutdown). */
  draining: boolean;
}

const connections = new WeakMap<WebSocket, Connection>();

export function connectionOf(client: WebSocket): Connection {
  let connection = connections.get(client);
  if (!connection) {
    connection = {
      frames: 0,
      firstFrameIsAuth: false,
      authTried: false,
      alive: true,
      topics: new Set(),
      lastSeq: 0,
      maxBufferedBytes: Number.POSITIVE_INFINITY,
      running: new Set(),
      draining: false,
    };
    connections.set(client, connection);
  }
  return connection;
}

/**
 * Sends one frame (a reply, an error or an event) and closes the connection
 * with 1008 once its unsent bytes pass the limit: replies count toward it
 * exactly as event pushes do, so a client that never reads costs bounded
 * memory. Returns false when the connection is closed or was just closed.
 */
export function sendFrame(client: WebSocket, frame: unknown): boolean {
  if (client.readyState !== WebSocket.OPEN) return false;
  const text = JSON.stringify(frame);
  client.send(text);
  const { maxBufferedBytes, onSent } = connectionOf(client);
  onSent?.(Buffer.byteLength(text));
  if (client.bufferedAmount > maxBufferedBytes) {
    client.close(CLOSE.POLICY_VIOLATION, `slow consumer: over ${maxBufferedBytes} bytes unsent`);
    return false;
  }
  return true;
}
