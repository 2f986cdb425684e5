import { type IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/** TRUST_PROXY's comma-separated list, trimmed. */
export function trustList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** The trust function for a TRUST_PROXY value; throws on an entry that is no address, range or preset. */
export function compileTrust(value: string): (address: string, hop: number) => boolean {
  const list = trustList(value);
  if (list.length === 0) throw new Error('no proxies listed');
  return proxyAddr.compile(list);
}

/**
 * The client's address for a request or a WebSocket upgrade: the peer's, or,
 * when the peer is one of the trusted proxies, the nearest address in
 * `X-Forwarded-For` that is not: the rule Fastify applies to `request.ip`
 * with the same list (its `trustProxy`), here for the upgrade requests of
 * WebSocket and graphql-ws, which Fastify does not see.
 */
export function clientAddressOf(
  trusted: readonly string[],
): (request: IncomingMessage) => string | undefined {
  if (trusted.length === 0) return (request) => request.socket.remoteAddress;
  const trust = proxyAddr.compile([...trusted]);
  return (request) => (request.socket.remoteAddress ? proxyAddr(request, trust) : undefined);
}
