import { createServer, type Server, type Socket } from 'node:net';
import { type PGlite } from '@electric-sql/pglite';
import { openDatabase } from './database';
import { seedDemoCatalogue } from './seed';

/**
 * Serves one embedded PGlite database over the Postgres wire protocol, so that
 * several processes (the five services under `npm start`) share it through
 * node-postgres exactly as they would share a Postgres server.
 *
 * PGlite is one backend session. The server multiplexes its connections onto
 * it and keeps what a session promises each of them:
 *
 * - A request — the messages up to a Sync, or a simple Query — runs whole,
 *   never interleaved with another connection's (the unnamed statement and
 *   portal are the session's).
 * - A connection that leaves a request inside a transaction (ReadyForQuery
 *   status `T` or `E`) has the session to itself until the transaction ends; if
 *   it disconnects first, the transaction is rolled back.
 * - LISTEN is tracked per connection and a NotificationResponse is delivered
 *   to every connection listening on its channel, whichever connection's
 *   request carried it. UNLISTEN is answered here and the session keeps
 *   listening; notifications nobody listens for are dropped.
 *
 * What one session cannot give: session-level advisory locks do not exclude
 * each other across connections (a session holds its own locks again), so
 * whoever hosts the server applies the migrations before it starts listening;
 * and SET applies to every connection. Authentication is not checked: the
 * server listens on loopback by default, for development.
 */
export class PgliteServer {
  private server?: Server;
  private readonly connections = new Set<Connection>();
  private readonly queue: Connection[] = [];
  /** The connection inside a transaction, which alone may run until it ends. */
  private owner?: Connection;
  private running = false;

  private readonly maxMessageBytes: number;
  private readonly maxQueuedBytes: number;
  private readonly maxUnsentBytes: number;

  constructor(
    private readonly pglite: PGlite,
    private readonly options: PgliteServerOptions = {},
  ) {
    this.maxMessageBytes = options.maxMessageBytes ?? 16 * 1024 * 1024;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 1024 * 1024;
    this.maxUnsentBytes = options.maxUnsentBytes ?? 8 * 1024 * 1024;
  }

  /** Starts listening; resolves with the port (a free one when `port` is 0 or unset). */
  async listen(): Promise<number> {
    await this.pglite.waitReady;
    const server = createServer((socket) => this.accept(socket));
    server.maxConnections = this.options.maxConnections ?? 200;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** Closes every connection (rolling back an open transaction) and stops listening. */
  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.destroy();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    await this.releaseOwner();
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const connection: Connection = {
      socket,
      buffer: Buffer.alloc(0),
      started: false,
      pending: [],
      pendingBytes: 0,
      requests: [],
      queuedBytes: 0,
      listening: new Set(),
    };
    this.connections.add(connection);
    // A client that does not read its replies is not served until it does; the others are.
    socket.on('drain', () => this.drain());
    socket.on('data', (chunk: Buffer) => {
      connection.buffer = Buffer.concat([connection.buffer, chunk]);
      this.read(connection);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.connections.delete(connection);
      connection.requests.length = 0;
      const queued = this.queue.indexOf(connection);
      if (queued !== -1) this.queue.splice(queued, 1);
      if (this.owner === connection) void this.releaseOwner().then(() => this.drain());
    });
  }

  /** Splits the connection's bytes into messages and its messages into requests. */
  private read(connection: Connection): void {
    for (;;) {
      const { buffer } = connection;
      if (!connection.started) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (length < 8 || length > 10_000) return void connection.socket.destroy();
        if (buffer.length < length) return;
        const code = buffer.readInt32BE(4);
        connection.buffer = buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          connection.socket.write('N');
          continue;
        }
        if (code !== PROTOCOL_3) return void connection.socket.destroy();
        connection.started = true;
        this.enqueue(connection, [buffer.subarray(0, length)], undefined);
        continue;
      }
      if (buffer.length < 5) return;
      const length = buffer.readInt32BE(1) + 1;
      // Like Postgres, a message over the limit ends the connection ("invalid message length").
      if (length < 5 || length > this.maxMessageBytes) return void connection.socket.destroy();
      if (buffer.length < length) return;
      const message = buffer.subarray(0, length);
      connection.buffer = buffer.subarray(length);
      const type = String.fromCharCode(message[0] ?? 0);
      if (type === 'X') return void connection.socket.end();
      connection.pending.push(message);
      connection.pendingBytes += message.length;
      if (connection.pendingBytes > this.maxMessageBytes) return void connection.socket.destroy();
      if (type === 'S' || type === 'Q') {
        const request = connection.pending;
        connection.pending = [];
        connection.pendingBytes = 0;
        this.enqueue(connection, request, type === 'Q' ? queryText(message) : undefined);
      }
    }
  }

  private enqueue(connection: Connection, messages: Buffer[], sql: string | undefined): void {
    const bytes = messages.reduce((sum, message) => sum + message.length, 0);
    connection.requests.push({ messages, sql, bytes });
    connection.queuedBytes += bytes;
    // Requests queue up to a bound; past it the connection is not read until they run.
    if (connection.queuedBytes > this.maxQueuedBytes) connection.socket.pause();
    if (!this.queue.includes(connection)) this.queue.push(connection);
    this.drain();
  }

  /** What each connection holds in memory now, for the tests of its bounds. */
  usage(): { queuedBytes: number; unsentBytes: number; reading: boolean }[] {
    return [...this.connections].map(({ queuedBytes, socket }) => ({
      queuedBytes,
      unsentBytes: socket.writableLength,
      reading: !socket.isPaused(),
    }));
  }

  /** Runs queued requests one at a time, the transaction's owner first and alone. */
  private drain(): void {
    if (this.running) return;
    const ready = (connection: Connection) =>
      connection.requests.length > 0 && !connection.socket.writableNeedDrain;
    const next = this.owner ?? this.queue.find(ready);
    if (!next || !ready(next)) return;
    const request = next.requests.shift();
    if (!request) return;
    next.queuedBytes -= request.bytes;
    if (next.socket.isPaused() && next.queuedBytes <= this.maxQueuedBytes) next.socket.resume();
    if (next.requests.length === 0) this.queue.splice(this.queue.indexOf(next), 1);
    else this.queue.push(...this.queue.splice(this.queue.indexOf(next), 1));
    this.running = true;
    void this.run(next, request).finally(() => {
      this.running = false;
      this.drain();
    });
  }

  private async run(connection: Connection, request: Request): Promise<void> {
    const unlisten = request.sql === undefined ? undefined : UNLISTEN.exec(request.sql);
    if (unlisten) {
      if (unlisten[1] === '*') connection.listening.clear();
      else connection.listening.delete(channelName(unlisten[1] ?? ''));
      connection.socket.write(
        Buffer.concat([commandComplete('UNLISTEN'), readyForQuery(this.status())]),
      );
      return;
    }
    const listen = request.sql === undefined ? undefined : LISTEN.exec(request.sql);
    const output: Buffer[] = [];
    try {
      for (const message of request.messages) {
        output.push(Buffer.from(await this.pglite.execProtocolRaw(message)));
      }
    } catch (error) {
      connection.socket.destroy(error as Error);
      return;
    }
    if (listen) connection.listening.add(channelName(listen[1] ?? ''));
    let status = 'I';
    const own: Buffer[] = [];
    for (const message of messages(Buffer.concat(output))) {
      const type = String.fromCharCode(message[0] ?? 0);
      if (type === 'A') {
        this.notify(message);
        continue;
      }
      if (type === 'Z') status = String.fromCharCode(message[5] ?? 73);
      own.push(message);
    }
    if (!connection.socket.destroyed) connection.socket.write(Buffer.concat(own));
    if (status === 'I') {
      if (this.owner === connection) this.owner = undefined;
    } else if (this.connections.has(connection)) {
      this.owner = connection;
    } else {
      await this.pglite.exec('ROLLBACK').catch(() => undefined);
    }
  }

  /** Hands a NotificationResponse to every connection listening on its channel. */
  private notify(message: Buffer): void {
    const channelEnd = message.indexOf(0, 9);
    const channel = message.toString('utf8', 9, channelEnd);
    for (const connection of this.connections) {
      if (!connection.listening.has(channel) || connection.socket.destroyed) continue;
      // A listener that stopped reading is let go rather than buffered for without end.
      if (connection.socket.writableLength > this.maxUnsentBytes) connection.socket.destroy();
      else connection.socket.write(message);
    }
  }

  private status(): string {
    return this.pglite.isInTransaction() ? 'T' : 'I';
  }

  private async releaseOwner(): Promise<void> {
    if (!this.owner) return;
    this.owner = undefined;
    await this.pglite.exec('ROLLBACK').catch(() => undefined);
  }
}

export interface PgliteServerOptions {
  host?: string;
  /** 0 or unset: a free port. */
  port?: number;
  /** Connections at once (default 200). */
  maxConnections?: number;
  /** Largest message, and largest request up to its Sync (default 16 MiB); more ends the connection. */
  maxMessageBytes?: number;
  /** Requests a connection may queue, in bytes, before it is not read until they run (default 1 MiB). */
  maxQueuedBytes?: number;
  /** Notifications a listener may leave unread, in bytes, before it is disconnected (default 8 MiB). */
  maxUnsentBytes?: number;
}

interface Request {
  messages: Buffer[];
  bytes: number;
  /** The text of a simple Query. */
  sql: string | undefined;
}

interface Connection {
  socket: Socket;
  buffer: Buffer;
  started: boolean;
  /** Messages of the request being received (up to its Sync). */
  pending: Buffer[];
  pendingBytes: number;
  requests: Request[];
  queuedBytes: number;
  listening: Set<string>;
}

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const LISTEN = /^\s*LISTEN\s+("[^"]+"|\w+)\s*;?\s*$/i;
const UNLISTEN = /^\s*UNLISTEN\s+("[^"]+"|\w+|\*)\s*;?\s*$/i;

function channelName(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1) : identifier.toLowerCase();
}

function queryText(message: Buffer): string {
  return message.toString('utf8', 5, message.length - 1);
}

function* messages(bytes: Buffer): Generator<Buffer> {
  let offset = 0;
  while (offset + 5 <= bytes.length) {
    const length = bytes.readInt32BE(offset + 1) + 1;
    yield bytes.subarray(offset, offset + length);
    offset += length;
  }
}

function commandComplete(tag: string): Buffer {
  const text = Buffer.from(`${tag}\0`);
  const header = Buffer.alloc(5);
  header.write('C', 0);
  header.writeInt32BE(4 + text.length, 1);
  return Buffer.concat([header, text]);
}

function readyForQuery(status: string): Buffer {
  const message = Buffer.alloc(6);
  message.write('Z', 0);
  message.writeInt32BE(5, 1);
  message.write(status, 5);
  return message;
}

export interface EmbeddedServerOptions {
  /** PGlite's data folder; absent means in memory. */
  pgliteDir?: string;
  host?: string;
  /** The port to serve on; 0 or absent picks a free one. */
  port?: number;
  /** Writes the demo catalogue into a fresh database. */
  seed?: boolean;
}

export interface EmbeddedServer {
  /** `postgres://…` for the services' DATABASE_URL. */
  url: string;
  /** Whether the demo catalogue was written now. */
  seeded: boolean;
  close(): Promise<void>;
}

/**
 * Opens an embedded database (claiming its folder), applies the migrations,
 * seeds it when asked, then serves it over the wire: what `npm start` runs the
 * five services on.
 */
export async function startEmbeddedServer(
  options: EmbeddedServerOptions = {},
): Promise<EmbeddedServer> {
  const database = await openDatabase({ pgliteDir: options.pgliteDir });
  try {
    await database.migrate();
    const seeded = options.seed ? await seedDemoCatalogue(database) : false;
    const pglite = database.pglite;
    if (!pglite) throw new Error('an embedded database has a PGlite instance');
    const server = new PgliteServer(pglite, { host: options.host, port: options.port });
    const port = await server.listen();
    const host = options.host ?? '127.0.0.1';
    return {
      url: `postgres://bookshop@${host.includes(':') ? `[${host}]` : host}:${port}/bookshop`,
      seeded,
      close: async () => {
        await server.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
