import { type Logger } from '@nestjs/common';
import { type WebSocketServer } from 'ws';
import { connectionOf } from './connection';

/**
 * Pings every client each `intervalMs`; one that did not answer the previous
 * ping is gone and is dropped (RFC 6455 §5.5.2). Returns the stop function.
 */
export function startHeartbeat(
  server: WebSocketServer,
  intervalMs: number,
  logger: Logger,
): () => void {
  const timer = setInterval(() => {
    for (const client of server.clients) {
      const connection = connectionOf(client);
      if (!connection.alive) {
        logger.log({ event: 'dead-peer' }, 'Dropping a client that missed a ping');
        client.terminate();
        continue;
      }
      connection.alive = false;
      client.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
