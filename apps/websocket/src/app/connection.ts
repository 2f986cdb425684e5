import { type EventSubscription } from '@bookshop/domain';
import { type WebSocket } from 'ws';

/** What the gateway keeps per connection. */
export interface Connection {
  /** "Bearer <key>", from the upgrade request or the `auth` op. */
  authorization?: string;
  /** Frames received so far: `auth` is only taken as the first. */
  frames: number;
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
}

const connections = new WeakMap<WebSocket, Connection>();

export function connectionOf(client: WebSocket): Connection {
  let connection = connections.get(client);
  if (!connection) {
    connection = { frames: 0, alive: true, topics: new Set(), lastSeq: 0 };
    connections.set(client, connection);
  }
  return connection;
}
