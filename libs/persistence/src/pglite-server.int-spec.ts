import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client, Pool } from 'pg';
import { Bookshop, randomIds, systemClock } from '@bookshop/domain';
import { anAuthor } from '@bookshop/domain/testing';
import { openDatabase } from './database';
import { DrizzleStore } from './drizzle-store';
import { LogEventFeed } from './event-feed';
import { PgliteServer } from './pglite-server';
import { take } from './testing/databases';

describe('an embedded database folder', () => {
  it('belongs to one process: a second one is refused with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bookshop-pglite-'));
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    try {
      writeFileSync(join(dir, 'bookshop.lock'), String(holder.pid));
      await expect(openDatabase({ pgliteDir: dir })).rejects.toThrow(
        `PGLITE_DIR ${dir} is in use by process ${holder.pid}: an embedded database belongs to one process.`,
      );
    } finally {
      holder.kill();
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    // The holder has ended: its claim is taken over, and given back on close.
    const database = await openDatabase({ pgliteDir: dir });
    expect(readFileSync(join(dir, 'bookshop.lock'), 'utf8')).toBe(String(process.pid));
    await database.close();
    expect(existsSync(join(dir, 'bookshop.lock'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});

/** A StartupMessage (protocol 3.0) for user and database `bookshop`. */
function startupMessage(): Buffer {
  const params = Buffer.from('user\0bookshop\0database\0bookshop\0\0');
  const message = Buffer.alloc(8 + params.length);
  message.writeInt32BE(message.length, 0);
  message.writeInt32BE(196608, 4);
  params.copy(message, 8);
  return message;
}

/** A simple Query message. */
function queryMessage(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`);
  const header = Buffer.alloc(5);
  header.write('Q', 0);
  header.writeInt32BE(4 + text.length, 1);
  return Buffer.concat([header, text]);
}

/** A raw client connected to the server that never reads what the server sends. */
async function rawClient(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.pause();
  socket.on('error', () => undefined);
  return socket;
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('PgliteServer: one embedded database over the wire', () => {
  let pglite: PGlite;
  let server: PgliteServer;
  let url: string;
  const pools: Pool[] = [];
  const clients: Client[] = [];

  const pool = (max = 4) => {
    const created = new Pool({ connectionString: url, max });
    pools.push(created);
    return created;
  };
  const client = async () => {
    const created = new Client({ connectionString: url });
    clients.push(created);
    await created.connect();
    return created;
  };

  // Each test gets a cluster of its own, copied from one made once: making one takes seconds.
  let emptyCluster: Blob;
  beforeAll(async () => {
    const made = new PGlite();
    await made.waitReady;
    emptyCluster = await made.dumpDataDir('none');
    await made.close();
  });

  beforeEach(async () => {
    pglite = new PGlite({ loadDataDir: emptyCluster });
    server = new PgliteServer(pglite);
    url = `postgres://bookshop@127.0.0.1:${await server.listen()}/bookshop`;
    await pglite.exec('CREATE TABLE counter (n int NOT NULL); INSERT INTO counter VALUES (0);');
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
    await Promise.all(pools.splice(0).map((p) => p.end().catch(() => undefined)));
    await server.close();
    await pglite.close();
  });

  it('answers simple and extended queries from several pools at once', async () => {
    const results = await Promise.all(
      [pool(), pool(), pool()].flatMap((p) =>
        Array.from({ length: 20 }, (_, i) =>
          p.query<{ v: number; t: string }>('SELECT $1::int AS v, $2::text AS t', [i, `x${i}`]),
        ),
      ),
    );
    expect(results.map((r) => r.rows[0])).toEqual(
      [0, 1, 2].flatMap(() => Array.from({ length: 20 }, (_, i) => ({ v: i, t: `x${i}` }))),
    );
    expect((await pool().query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('runs a transaction alone: another connection waits for its end and loses no update', async () => {
    const writers = [pool(), pool(), pool()];
    await Promise.all(
      writers.flatMap((p) =>
        Array.from({ length: 10 }, async () => {
          const c = await p.connect();
          try {
            await c.query('BEGIN');
            const { rows } = await c.query<{ n: number }>('SELECT n FROM counter');
            await new Promise((resolve) => setTimeout(resolve, 1));
            await c.query('UPDATE counter SET n = $1', [(rows[0]?.n ?? 0) + 1]);
            await c.query('COMMIT');
          } finally {
            c.release();
          }
        }),
      ),
    );
    expect((await pool().query('SELECT n FROM counter')).rows).toEqual([{ n: 30 }]);
  });

  it('rolls back the transaction of a connection that goes away, and serves the others', async () => {
    const quitter = await client();
    quitter.on('error', () => undefined); // its own connection ends under it
    await quitter.query('BEGIN');
    await quitter.query('UPDATE counter SET n = 99');
    const waiting = pool().query<{ n: number }>('SELECT n FROM counter');
    (
      quitter as unknown as { connection: { stream: { destroy(): void } } }
    ).connection.stream.destroy();
    expect((await waiting).rows).toEqual([{ n: 0 }]);
  });

  it('ends a connection that sends a message over the size limit, and serves the others', async () => {
    await server.close();
    server = new PgliteServer(pglite, { maxMessageBytes: 64 * 1024 });
    url = `postgres://bookshop@127.0.0.1:${await server.listen()}/bookshop`;
    const raw = await rawClient(url);
    const closed = new Promise((resolve) => raw.once('close', resolve));
    raw.write(startupMessage());
    raw.write(queryMessage(`SELECT '${'x'.repeat(64 * 1024)}'`));
    await closed;
    expect((await pool().query<{ n: number }>('SELECT n FROM counter')).rows).toEqual([{ n: 0 }]);
  });

  it('stops reading and serving a client that never reads, holding bounded bytes, and serves the others', async () => {
    await server.close();
    const maxQueuedBytes = 16 * 1024;
    server = new PgliteServer(pglite, { maxQueuedBytes });
    url = `postgres://bookshop@127.0.0.1:${await server.listen()}/bookshop`;
    const raw = await rawClient(url);
    try {
      raw.write(startupMessage());
      // 5000 queries of 100 KB replies each: 500 MB, far more than any buffer on the way.
      const query = queryMessage("SELECT repeat('x', 100000)");
      for (let i = 0; i < 5000; i++) raw.write(query);
      const stalled = () => server.usage().find((each) => each.unsentBytes > 0 && !each.reading);
      await until(() => stalled() !== undefined, 'the connection is neither read nor served');
      const first = stalled()!;
      await new Promise((resolve) => setTimeout(resolve, 500));
      const later = stalled()!;
      expect(later).toEqual(first);
      // One read chunk past the bound at most, and one reply past the socket's high-water mark.
      expect(later.queuedBytes).toBeLessThanOrEqual(maxQueuedBytes + 64 * 1024);
      expect(later.unsentBytes).toBeLessThanOrEqual(100_000 + 64 * 1024);
      expect((await pool().query<{ n: number }>('SELECT n FROM counter')).rows).toEqual([{ n: 0 }]);
    } finally {
      raw.destroy();
    }
  });

  it('delivers a NOTIFY to the connections listening on its channel, and only to them', async () => {
    const [listener, other, writer] = [await client(), await client(), await client()];
    const heard: string[] = [];
    const strays: string[] = [];
    listener.on('notification', (n) => heard.push(`${n.channel}:${n.payload}`));
    other.on('notification', (n) => strays.push(`${n.channel}:${n.payload}`));
    writer.on('notification', (n) => strays.push(`${n.channel}:${n.payload}`));
    await listener.query('LISTEN bookshop_events');
    await other.query('LISTEN "Other"');
    await writer.query(`SELECT pg_notify('bookshop_events', '1')`);
    await writer.query('BEGIN');
    await writer.query(`NOTIFY bookshop_events, '2'`);
    await writer.query('COMMIT');
    await other.query('UNLISTEN "Other"');
    await writer.query(`NOTIFY "Other", 'unheard'`);
    await listener.query('SELECT 1');
    expect(heard).toEqual(['bookshop_events:1', 'bookshop_events:2']);
    expect(strays).toEqual([]);
  });

  it('carries the store and the live event feed between two processes’ pools', async () => {
    // The host migrates before it serves: a session's advisory locks do not exclude each other.
    const writer = await openDatabase({ url });
    await writer.migrate();
    const reader = await openDatabase({ url });
    // The poll is an hour away, so only the NOTIFY routed to the reader's listener can wake it.
    const feed = new LogEventFeed(reader, { pollIntervalMs: 3_600_000 });
    try {
      await feed.start();
      const subscription = await feed.subscribe({ topics: ['authors'] });
      const shop = new Bookshop({
        store: new DrizzleStore(writer.db),
        clock: systemClock,
        ids: randomIds,
      });
      await shop.execute('authors.create', anAuthor({ name: 'Ursula K. Le Guin' }));
      await shop.execute('authors.create', anAuthor({ name: 'Octavia E. Butler' }));
      const events = await take(subscription, 2, 5000);
      expect(events.map((event) => (event.data as { name: string }).name)).toEqual([
        'Ursula K. Le Guin',
        'Octavia E. Butler',
      ]);
      subscription.close();
    } finally {
      await feed.stop();
      await Promise.all([writer.close(), reader.close()]);
    }
  });
});
