import {
  type AddressInfo,
  createConnection,
  createServer,
  type Server,
  type Socket,
} from 'node:net';

/** Bytes that crossed a relay, in the order they arrived. */
export interface WireChunk {
  /** Who sent them. */
  from: 'client' | 'server';
  /** Which of the relay's connections carried them, from 1. */
  connection: number;
  bytes: Buffer;
}

/**
 * A TCP relay in front of a service that records what crosses it, so that a
 * caller can show the exact bytes of a call (the explorer) or count them (the
 * benchmark). Counting never stops; recording keeps the first `maxRecorded`
 * bytes each way and drops the rest, so a long run costs bounded memory.
 */
export class WireRecorder {
  private recorded: WireChunk[] = [];
  private keptBytes = { client: 0, server: 0 };
  private counted = { client: 0, server: 0 };
  private connections = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    /** Where to send the client instead of the service. */
    readonly url: string,
    private readonly maxRecorded: number,
  ) {}

  static async inFrontOf(target: string, maxRecorded = 4 * 1024 * 1024): Promise<WireRecorder> {
    const { hostname, port } = new URL(target);
    const holder: { recorder?: WireRecorder } = {};
    const server = createServer((client) => {
      const upstream = createConnection({ host: hostname, port: Number(port) });
      const recorder = holder.recorder;
      const connection = recorder ? ++recorder.connections : 0;
      for (const socket of [client, upstream]) {
        recorder?.sockets.add(socket);
        socket.once('close', () => recorder?.sockets.delete(socket));
      }
      client.on('data', (bytes: Buffer) => {
        recorder?.note('client', connection, bytes);
        upstream.write(bytes);
      });
      upstream.on('data', (bytes: Buffer) => {
        recorder?.note('server', connection, bytes);
        client.write(bytes);
      });
      // A side that closes lets the other finish writing what it has (a 413 sent
      // before the body was read, say), as a direct connection would.
      client.on('close', () => upstream.end());
      upstream.on('close', () => client.end());
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port: relay } = server.address() as AddressInfo;
    const scheme = new URL(target).protocol;
    holder.recorder = new WireRecorder(server, `${scheme}//127.0.0.1:${relay}`, maxRecorded);
    return holder.recorder;
  }

  /** Bytes the client sent since the last reset. */
  get sent(): number {
    return this.counted.client;
  }

  /** Bytes the service sent since the last reset. */
  get received(): number {
    return this.counted.server;
  }

  /** What was recorded since the last reset, in arrival order. */
  chunks(): readonly WireChunk[] {
    return this.recorded;
  }

  /** Forgets what was counted and recorded so far. */
  reset(): void {
    this.recorded = [];
    this.keptBytes = { client: 0, server: 0 };
    this.counted = { client: 0, server: 0 };
  }

  /** Stops relaying: connections a client keeps alive are cut, not waited for. */
  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private note(from: WireChunk['from'], connection: number, bytes: Buffer): void {
    this.counted[from] += bytes.length;
    const room = this.maxRecorded - this.keptBytes[from];
    if (room <= 0) return;
    const kept = bytes.length <= room ? bytes : bytes.subarray(0, room);
    this.keptBytes[from] += kept.length;
    this.recorded.push({ from, connection, bytes: Buffer.from(kept) });
  }
}
