import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { Bookshop, randomIds, systemClock } from '@bookshop/domain';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { type Database, openDatabase } from './database';
import { DrizzleStore, isOutage } from './drizzle-store';
import { emptyPostgresUrl } from './testing/databases';

describe('isOutage', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['a lost connection', new Error('Connection terminated unexpectedly')],
    [
      'a full pool that did not free up in time',
      new Error('timeout exceeded when trying to connect'),
    ],
    ['a server that stopped answering', new Error('Query read timeout')],
    [
      'a statement over statement_timeout',
      Object.assign(new Error('canceling'), { code: '57014' }),
    ],
    ['a server shutting down', Object.assign(new Error('terminating'), { code: '57P01' })],
    ['a connection exception (class 08)', Object.assign(new Error('x'), { code: '08006' })],
    [
      'a driver error wrapped by Drizzle',
      new Error('Failed query: select 1', { cause: new Error('Connection terminated') }),
    ],
  ])('names %s an outage', (_, error) => {
    expect(isOutage(error)).toBe(true);
  });

  it.each([
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
    ['a syntax error', Object.assign(new Error('syntax'), { code: '42601' })],
    ['a bug', new TypeError('x is undefined')],
  ])('does not name %s an outage', (_, error) => {
    expect(isOutage(error)).toBe(false);
  });
});

describe('a Postgres store in an outage', () => {
  let url: string;
  let database: Database;

  beforeAll(async () => {
    url = await emptyPostgresUrl();
    const migrating = await openDatabase({ url });
    await migrating.migrate();
    await migrating.close();
  });

  afterEach(async () => {
    await database?.close();
  });

  const bookshopOn = (db: Database) =>
    new Bookshop({
      store: new DrizzleStore(db.db, { deadlineMs: db.deadlineMs }),
      clock: systemClock,
      ids: randomIds,
    });

  it('survives the connection of a running transaction being cut, and fails that request with UNAVAILABLE', async () => {
    const errors: Error[] = [];
    database = await openDatabase({ url, poolSize: 2, onError: (error) => errors.push(error) });
    const store = new DrizzleStore(database.db, { deadlineMs: database.deadlineMs });
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      // The transaction holds its client between statements while its backend is killed:
      // without a listener on checked-out clients, the 'error' event would end the process.
      const running = store.transaction(async ({ authors }) => {
        const { rows } = await admin.query<{ pid: number }>(
          `select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'`,
        );
        for (const { pid } of rows) await admin.query('select pg_terminate_backend($1)', [pid]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        return authors.findById('00000000-0000-4000-8000-000000000001');
      });
      await expect(running).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      expect(errors.length).toBeGreaterThan(0);
      // The pool dropped the broken client: the next request works.
      await expect(bookshopOn(database).execute('authors.list', {})).resolves.toBeDefined();
    } finally {
      await admin.end();
    }
  });

  it('fails within the deadline with UNAVAILABLE when nothing listens at the address', async () => {
    const closed = new URL(url);
    closed.port = '1';
    database = await openDatabase({ url: closed.toString(), timeouts: { deadlineMs: 1000 } });
    const started = Date.now();
    await expect(bookshopOn(database).execute('books.list', {})).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
    expect(Date.now() - started).toBeLessThan(1500);
    await expect(database.ping()).rejects.toThrow();
  });

  it('answers a readiness ping as soon as the database is reachable again after a refused connection', async () => {
    // A port nobody listens on yet, and later a relay on it to the database.
    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const port = (spare.address() as AddressInfo).port;
    await new Promise((resolve) => spare.close(resolve));
    const target = new URL(url);
    const relayed = new URL(url);
    relayed.hostname = '127.0.0.1';
    relayed.port = String(port);
    database = await openDatabase({ url: relayed.toString() });
    await expect(database.ping()).rejects.toThrow(/ECONNREFUSED/);

    const relay: Server = createServer((socket) => {
      const upstream = connect(Number(target.port), target.hostname);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
    try {
      // The refused connection is not kept: the first ping opens a new one and is answered.
      await expect(database.ping()).resolves.toBeUndefined();
    } finally {
      relay.close();
    }
  });

  it('answers UNAVAILABLE at the deadline when a statement runs too long, and rolls the write back', async () => {
    database = await openDatabase({ url, timeouts: { deadlineMs: 300, statementMs: 10_000 } });
    const store = new DrizzleStore(database.db, { deadlineMs: database.deadlineMs });
    const started = Date.now();
    await expect(
      store.transaction(async ({ authors }) => {
        await authors.insert({
          id: '00000000-0000-4000-8000-0000000000aa',
          name: 'Too Late',
          bio: null,
          createdAt: new Date().toISOString(),
        });
        await database.db.execute(sql`select pg_sleep(0.6)`);
      }),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(550);
    // The transaction finished after the deadline and rolled back instead of committing.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const found = await store.read(({ authors }) =>
      authors.findById('00000000-0000-4000-8000-0000000000aa'),
    );
    expect(found).toBeUndefined();
  });
});
