import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A loopback TCP proxy in front of a service that can lose a reply: armed,
 * it drops the next bytes the service sends back on any connection and cuts
 * that connection both ways. Whatever the protocol, the service has written
 * its reply, so a write it answered has committed, and the client sees its
 * connection fail without an answer: the case an idempotency key is for.
 */
export class ReplyCutter {
  private armed?: () => void;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    /** The proxy's base URL, `http://127.0.0.1:<port>`: give it to a client instead of the service's. */
    readonly url: string,
  ) {}

  /** Listens on a free loopback port and forwards every connection to `target` (an http:// URL). */
  static async inFrontOf(target: string): Promise<ReplyCutter> {
    const { hostname, port } = new URL(target);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP port');
    const cutter = new ReplyCutter(server, `http://127.0.0.1:${address.port}`);
    server.on('connection', (client: Socket) => cutter.forward(client, hostname, Number(port)));
    return cutter;
  }

  /**
   * Drops the next reply bytes and cuts their connection; resolves once it
   * has (so a caller can tell the cut happened, not that nothing came).
   */
  cutNextReply(): Promise<void> {
    return new Promise((resolve) => {
      this.armed = resolve;
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: Socket, host: string, port: number): void {
    const service = connect({ host: host === 'localhost' ? '127.0.0.1' : host, port });
    for (const socket of [client, service]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        service.destroy();
      });
    }
    client.pipe(service);
    service.on('data', (chunk) => {
      const cut = this.armed;
      if (cut === undefined) {
        client.write(chunk);
        return;
      }
      this.armed = undefined;
      client.resetAndDestroy();
      service.destroy();
      cut();
    });
    service.on('end', () => client.end());
  }
}
