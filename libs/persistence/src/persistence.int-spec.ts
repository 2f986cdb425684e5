import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BatchReads,
  Bookshop,
  type BookshopEvent,
  demoBooks,
  type DomainError,
  randomIds,
  systemClock,
} from '@bookshop/domain';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { aBook, anAuthor, rejectionOf } from '@bookshop/domain/testing';
import { type Database, openDatabase, resolveMigrationsFolder } from './database';
import { DrizzleStore } from './drizzle-store';
import { LogEventFeed } from './event-feed';
import { schema } from './schema';
import { seedDemoCatalogue } from './seed';
import { emptyPostgresUrl, freshDatabase, take } from './testing/databases';

/** How many migrations are committed (drizzle's journal). */
const journalEntries = (): number =>
  (
    JSON.parse(readFileSync(join(resolveMigrationsFolder(), 'meta/_journal.json'), 'utf8')) as {
      entries: unknown[];
    }
  ).entries.length;

const bookshopOn = (database: Database) =>
  new Bookshop({ store: new DrizzleStore(database.db), clock: systemClock, ids: randomIds });

describe.each(['pglite', 'postgres'] as const)('the store on %s', (engine) => {
  let database: Database;
  let bookshop: Bookshop;

  beforeEach(async () => {
    database = await freshDatabase(engine, 25);
    bookshop = bookshopOn(database);
  });

  afterEach(async () => {
    await database.close();
  });

  const newBook = async (overrides: Record<string, unknown> = {}) => {
    const author = await bookshop.execute('authors.create', anAuthor());
    return bookshop.execute('books.create', aBook(author.id, overrides));
  };

  it('seeds the demo catalogue into an empty database, once', async () => {
    expect(await seedDemoCatalogue(database)).toBe(true);
    expect(await seedDemoCatalogue(database)).toBe(false);
    const page = await bookshop.execute('books.list', { limit: 100 });
    expect(page.items).toEqual(demoBooks);
  });

  it('round-trips every entity with millisecond times', async () => {
    const book = await newBook({ title: 'Round Trip', stock: 2 });
    expect(await bookshop.execute('books.get', { id: book.id })).toEqual(book);
    const order = await bookshop.execute('orders.place', {
      lines: [{ bookId: book.id, quantity: 2 }],
    });
    expect(await bookshop.execute('orders.get', { id: order.id })).toEqual(order);
    expect(await bookshop.execute('authors.get', { id: book.authorId })).toMatchObject({
      id: book.authorId,
    });
  });

  it('pages through a list with cursors, without skipping or repeating', async () => {
    const author = await bookshop.execute('authors.create', anAuthor());
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push((await bookshop.execute('books.create', aBook(author.id))).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await bookshop.execute('books.list', { authorId: author.id, limit: 3, cursor });
      seen.push(...page.items.map((b) => b.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  it('reads many authors, books and per-author pages in one go', async () => {
    const reads = new BatchReads(new DrizzleStore(database.db));
    const one = await bookshop.execute('authors.create', anAuthor({ name: 'One' }));
    const two = await bookshop.execute('authors.create', anAuthor({ name: 'Two' }));
    const books = [];
    for (let i = 0; i < 3; i++) books.push(await bookshop.execute('books.create', aBook(one.id)));
    books.push(await bookshop.execute('books.create', aBook(two.id)));
    expect(await reads.authorsByIds([two.id, 'nope', one.id])).toEqual([two, undefined, one]);
    expect(await reads.booksByIds([books[3]!.id, books[0]!.id])).toEqual([books[3], books[0]]);
    const pages = await reads.bookPagesByAuthors([one.id, two.id, crypto.randomUUID()], {
      limit: 2,
    });
    expect(pages[0]!.items).toEqual(books.slice(0, 2));
    expect(pages[0]!.nextCursor).not.toBeNull();
    expect(pages[1]).toEqual({ items: [books[3]], nextCursor: null });
    expect(pages[2]).toEqual({ items: [], nextCursor: null });
    const rest = await reads.bookPagesByAuthors([one.id], {
      limit: 2,
      cursor: pages[0]!.nextCursor!,
    });
    expect(rest[0]).toEqual({ items: [books[2]], nextCursor: null });
  });

  it('searches titles case-insensitively and takes % and _ literally', async () => {
    await newBook({ title: '100% Pure' });
    await newBook({ title: '1000 Pure' });
    await newBook({ title: 'snake_case' });
    const titles = async (q: string) =>
      (await bookshop.execute('books.list', { q })).items.map((b) => b.title);
    expect(await titles('0% p')).toEqual(['100% Pure']);
    expect(await titles('E_C')).toEqual(['snake_case']);
    expect(await titles('PURE')).toEqual(['100% Pure', '1000 Pure']);
  });

  it('turns a duplicate ISBN into CONFLICT on insert and on update', async () => {
    const first = await newBook();
    const second = await newBook();
    expect((await rejectionOf(newBook({ isbn: first.isbn }))).code).toBe('CONFLICT');
    const error = await rejectionOf(
      bookshop.execute('books.update', { id: second.id, isbn: first.isbn }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.details).toEqual([{ path: 'isbn', message: 'is already taken' }]);
  });

  it('keeps a failed order from changing stock or logging events', async () => {
    const plenty = await newBook({ stock: 5 });
    const short = await newBook({ stock: 0 });
    const feed = new LogEventFeed(database);
    const before = await feed.latestSeq();
    const error = await rejectionOf(
      bookshop.execute('orders.place', {
        lines: [
          { bookId: plenty.id, quantity: 2 },
          { bookId: short.id, quantity: 1 },
        ],
      }),
    );
    expect(error.code).toBe('OUT_OF_STOCK');
    expect((await bookshop.execute('books.get', { id: plenty.id })).stock).toBe(5);
    expect(await feed.latestSeq()).toBe(before);
  });

  it('rolls events back with the change they record', async () => {
    const store = new DrizzleStore(database.db);
    const feed = new LogEventFeed(database);
    const before = await feed.latestSeq();
    await expect(
      store.transaction(async ({ authors, events }) => {
        const author = {
          id: crypto.randomUUID(),
          name: 'Gone',
          bio: null,
          createdAt: new Date().toISOString(),
        };
        await authors.insert(author);
        await events.append([{ type: 'author.created', data: author }], author.createdAt);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await feed.latestSeq()).toBe(before);
    expect((await bookshop.execute('authors.list', {})).items).toEqual([]);
    // The next event takes the very next number: no gap where the rollback was.
    await bookshop.execute('authors.create', anAuthor());
    expect(await feed.latestSeq()).toBe(before + 1);
  });

  it('sells the last copy to exactly one of 20 concurrent orders', async () => {
    const book = await newBook({ stock: 1 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        bookshop.execute('orders.place', { lines: [{ bookId: book.id, quantity: 1 }] }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as DomainError] : []));
    expect(won).toHaveLength(1);
    expect(lost.map((e) => e.code)).toEqual(Array(19).fill('OUT_OF_STOCK'));
    expect((await bookshop.execute('books.get', { id: book.id })).stock).toBe(0);
  });

  it('cancels concurrently only once', async () => {
    const book = await newBook({ stock: 3 });
    const order = await bookshop.execute('orders.place', {
      lines: [{ bookId: book.id, quantity: 3 }],
    });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => bookshop.execute('orders.cancel', { id: order.id })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await bookshop.execute('books.get', { id: book.id })).stock).toBe(3);
  });

  describe('idempotency keys', () => {
    const owner = 'owner';

    it('places one order for ten concurrent requests with one key; all ten get it', async () => {
      const book = await newBook({ stock: 5 });
      const input = { lines: [{ bookId: book.id, quantity: 2 }] };
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, () =>
          bookshop.executeOnce('orders.place', input, { key: 'ten', owner }),
        ),
      );
      const placed = outcomes.filter(({ replayed }) => !replayed);
      expect(placed).toHaveLength(1);
      for (const { result } of outcomes) expect(result).toEqual(placed[0]?.result);
      expect((await bookshop.execute('books.get', { id: book.id })).stock).toBe(3);
    });

    it('gives a replay the members in the order the first answer had them', async () => {
      const book = await newBook();
      const first = await bookshop.execute(
        'books.adjustStock',
        { id: book.id, delta: 1 },
        {
          key: 'order',
          owner,
        },
      );
      const repeat = await bookshop.executeOnce(
        'books.adjustStock',
        { id: book.id, delta: 1 },
        { key: 'order', owner },
      );
      expect(repeat.replayed).toBe(true);
      expect(JSON.stringify(repeat.result)).toBe(JSON.stringify(first));
    });

    it('lets the waiting repeat of a write that failed run it itself', async () => {
      const book = await newBook({ stock: 0 });
      const input = { lines: [{ bookId: book.id, quantity: 1 }] };
      const [failed, refill] = await Promise.allSettled([
        bookshop.execute('orders.place', input, { key: 'after-failure', owner }),
        bookshop.execute('books.adjustStock', { id: book.id, delta: 1 }),
      ]);
      expect(refill.status).toBe('fulfilled');
      const retried = await bookshop.executeOnce('orders.place', input, {
        key: 'after-failure',
        owner,
      });
      // Either the first ran after the refill and placed it, or it failed and the retry placed it.
      expect(retried.result.status).toBe('PLACED');
      expect(retried.replayed).toBe(failed.status === 'fulfilled');
      expect((await bookshop.execute('books.get', { id: book.id })).stock).toBe(0);
    });

    it('forgets keys past the retention: the sweep deletes them, skipping none that live', async () => {
      const hour = 3_600_000;
      const store = new DrizzleStore(database.db, { idempotencyRetentionMs: hour });
      const keyed = new Bookshop({ store, clock: systemClock, ids: randomIds });
      const book = await newBook({ stock: 10 });
      const adjust = () =>
        keyed.executeOnce('books.adjustStock', { id: book.id, delta: 1 }, { key: 'old', owner });
      await adjust();
      await keyed.executeOnce(
        'books.adjustStock',
        { id: book.id, delta: 1 },
        { key: 'new', owner },
      );
      await database.db.execute(
        sql`update idempotency_keys set created_at = now() - interval '2 hours' where key = 'old'`,
      );

      // Expired but not yet swept: counts as absent, so the write runs again.
      expect((await adjust()).replayed).toBe(false);
      await database.db.execute(
        sql`update idempotency_keys set created_at = now() - interval '2 hours' where key = 'old'`,
      );
      expect(await store.sweepIdempotencyKeys(new Date(), 1)).toBe(1);
      const left = await database.db
        .select({ key: schema.idempotencyKeys.key })
        .from(schema.idempotencyKeys);
      expect(left).toEqual([{ key: 'new' }]);
      expect((await bookshop.execute('books.get', { id: book.id })).stock).toBe(13);
    });
  });

  describe('the live feed', () => {
    let feed: LogEventFeed;

    beforeEach(async () => {
      feed = new LogEventFeed(database, { batchSize: 3, pollIntervalMs: 60_000 });
      await feed.start();
    });

    afterEach(async () => {
      await feed.stop();
    });

    it('replays from since, then streams live events', async () => {
      await bookshop.execute('authors.create', anAuthor({ name: 'One' }));
      await bookshop.execute('authors.create', anAuthor({ name: 'Two' }));
      const subscription = await feed.subscribe({ topics: ['authors'], since: 1 });
      const live = bookshop.execute('authors.create', anAuthor({ name: 'Three' }));
      const events = await take(subscription, 2);
      await live;
      expect(events.map((e) => [e.seq, (e.data as { name: string }).name])).toEqual([
        [2, 'Two'],
        [3, 'Three'],
      ]);
      subscription.close();
    });

    it('without since, streams only what happens after subscribing', async () => {
      await bookshop.execute('authors.create', anAuthor({ name: 'Before' }));
      const subscription = await feed.subscribe({ topics: ['authors'] });
      await bookshop.execute('authors.create', anAuthor({ name: 'After' }));
      const [event] = await take(subscription, 1);
      expect(event).toMatchObject({ type: 'author.created', data: { name: 'After' } });
      subscription.close();
    });

    it('delivers every event in seq order, once, while writes race the replay', async () => {
      for (let i = 0; i < 10; i++)
        await bookshop.execute('authors.create', anAuthor({ name: `early ${i}` }));
      const subscription = await feed.subscribe({
        topics: ['authors', 'books', 'stock', 'orders'],
        since: 0,
      });
      const writers = Promise.all(
        Array.from({ length: 4 }, async (_, w) => {
          for (let i = 0; i < 10; i++)
            await bookshop.execute('authors.create', anAuthor({ name: `w${w}-${i}` }));
        }),
      );
      const events = await take(subscription, 50);
      await writers;
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      subscription.close();
    });

    it('filters by topic, including one book’s own topic', async () => {
      const book = await newBook({ stock: 5 });
      const other = await newBook({ stock: 5 });
      const subscription = await feed.subscribe({ topics: [`book:${book.id}`], since: 0 });
      await bookshop.execute('books.adjustStock', { id: other.id, delta: 1 });
      await bookshop.execute('books.adjustStock', { id: book.id, delta: -2 });
      const events = await take(subscription, 2);
      expect(events.map((e: BookshopEvent) => e.type)).toEqual(['book.created', 'stock.changed']);
      expect(events[1]?.data).toEqual({
        bookId: book.id,
        stock: 3,
        delta: -2,
        reason: 'adjustment',
      });
      subscription.close();
    });

    it('hands every subscriber its events from one shared read, joining replays to it without gap or duplicate', async () => {
      for (let i = 0; i < 6; i++)
        await bookshop.execute('authors.create', anAuthor({ name: `early ${i}` }));
      // Behind the live cursor (replays), at it, and past it: all join the shared reads.
      const starts = [0, 2, 5, undefined, undefined];
      const subscriptions = await Promise.all(
        starts.map((since) => feed.subscribe({ topics: ['authors'], since })),
      );
      const writers = Promise.all(
        Array.from({ length: 3 }, async (_, w) => {
          for (let i = 0; i < 8; i++)
            await bookshop.execute('authors.create', anAuthor({ name: `w${w}-${i}` }));
        }),
      );
      const received = await Promise.all(
        subscriptions.map((subscription, i) => take(subscription, 30 - (starts[i] ?? 6))),
      );
      await writers;
      received.forEach((events, i) => {
        const from = (starts[i] ?? 6) + 1;
        expect(events.map((e) => e.seq)).toEqual(
          Array.from({ length: 31 - from }, (_, k) => from + k),
        );
      });
      subscriptions.forEach((subscription) => subscription.close());
    });

    it('keeps a consumer that falls behind to a bounded buffer, then catches it up from the log', async () => {
      const slow = new LogEventFeed(database, {
        batchSize: 3,
        pollIntervalMs: 60_000,
        liveBufferSize: 4,
      });
      try {
        const subscription = await slow.subscribe({ topics: ['authors'] });
        const latest = await slow.latestSeq();
        // Nothing is taken while twenty events commit: the subscription holds at most four.
        for (let i = 0; i < 20; i++)
          await bookshop.execute('authors.create', anAuthor({ name: `burst ${i}` }));
        const events = await take(subscription, 20);
        expect(events.map((e) => e.seq)).toEqual(
          Array.from({ length: 20 }, (_, k) => latest + 1 + k),
        );
        subscription.close();
      } finally {
        await slow.stop();
      }
    });

    it('ends a pending read when the subscription closes', async () => {
      const subscription = await feed.subscribe({ topics: ['orders'] });
      const next = subscription[Symbol.asyncIterator]().next();
      subscription.close();
      await expect(next).resolves.toEqual({ done: true, value: undefined });
    });
  });
});

describe.each(['pglite', 'postgres'] as const)('the sequencer on %s', (engine) => {
  it('numbers every event once, in seq order, causes before effects, with writers in several processes', async () => {
    // On Postgres three pools stand for three processes, each with its own
    // sequencer; PGlite is one process by nature.
    const first = await freshDatabase(engine, 10);
    const others =
      engine === 'postgres'
        ? await Promise.all([1, 2].map(() => openDatabase({ url: first.url, poolSize: 10 })))
        : [];
    const writers = [first, ...others].map(bookshopOn);
    const feed = new LogEventFeed(first, { batchSize: 7, pollIntervalMs: 60_000 });
    try {
      const author = await writers[0]!.execute('authors.create', anAuthor());
      const book = await writers[0]!.execute('books.create', aBook(author.id, { stock: 60 }));
      const subscription = await feed.subscribe({ topics: ['authors', 'stock'], since: 0 });
      // Sixty decrements of one book (each waits on the one before) and
      // twenty unrelated writes, spread over the processes, all at once.
      await Promise.all([
        ...Array.from({ length: 60 }, (_, i) =>
          writers[i % writers.length]!.execute('books.adjustStock', { id: book.id, delta: -1 }),
        ),
        ...Array.from({ length: 20 }, (_, i) =>
          writers[i % writers.length]!.execute('authors.create', anAuthor({ name: `a${i}` })),
        ),
      ]);
      const events = await take(subscription, 81, 30_000);
      expect(events.map((e) => e.seq)).toEqual(
        Array.from({ length: 82 }, (_, i) => i + 1).filter((seq) => seq !== 2),
      );
      const stock = events
        .filter((e) => e.type === 'stock.changed')
        .map((e) => (e.data as { stock: number }).stock);
      expect(stock).toEqual(Array.from({ length: 60 }, (_, i) => 59 - i));
      expect(events.filter((e) => e.type === 'author.created')).toHaveLength(21);
      const inbox = await first.db.execute(sql`SELECT count(*)::int AS n FROM event_inbox`);
      expect((inbox as { rows: { n: number }[] }).rows[0]?.n).toBe(0);
      subscription.close();
    } finally {
      await feed.stop();
      await Promise.all(others.map((database) => database.close()));
      await first.close();
    }
  });

  it('numbers what a writer committed but never numbered on the next poll', async () => {
    const database = await freshDatabase(engine, 10);
    const feed = new LogEventFeed(database, { pollIntervalMs: 100 });
    try {
      const subscription = await feed.subscribe({ topics: ['authors'] });
      // A process that stopped between its commit and its sequencer's run.
      const author = {
        id: randomUUID(),
        name: 'Left in the inbox',
        bio: null,
        createdAt: new Date().toISOString(),
      };
      await database.db.insert(schema.eventInbox).values({
        type: 'author.created',
        occurredAt: new Date(),
        data: author,
        topics: ['authors', `author:${author.id}`],
      });
      const [event] = await take(subscription, 1, 10_000);
      expect(event).toMatchObject({ seq: 1, type: 'author.created', data: author });
      subscription.close();
    } finally {
      await feed.stop();
      await database.close();
    }
  });
});

describe('migrations on postgres', () => {
  it('apply once when several services start on one empty database together', async () => {
    const url = await emptyPostgresUrl();
    const replicas = await Promise.all(
      Array.from({ length: 5 }, () => openDatabase({ url, poolSize: 2 })),
    );
    try {
      await Promise.all(replicas.map((replica) => replica.migrate()));
      const reader = new Client({ connectionString: url });
      await reader.connect();
      const applied = await reader
        .query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')
        .finally(() => reader.end());
      expect(applied.rows).toEqual([{ n: journalEntries() }]);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });
});

describe('the idempotency sweep on postgres', () => {
  it('neither waits on a key a running write holds nor deletes it', async () => {
    const database = await freshDatabase('postgres', 5);
    const store = new DrizzleStore(database.db, { idempotencyRetentionMs: 3_600_000 });
    const bookshop = new Bookshop({ store, clock: systemClock, ids: randomIds });
    try {
      for (const key of ['held', 'free']) {
        await bookshop.execute('authors.create', anAuthor(), { key, owner: 'o' });
      }
      await database.db.execute(
        sql`update idempotency_keys set created_at = now() - interval '2 hours'`,
      );
      // A write holding the expired key's row, as a claim that takes it over does.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => (locked = resolve));
      const writer = database.db.transaction(async (tx) => {
        await tx.execute(sql`select 1 from idempotency_keys where key = 'held' for update`);
        locked();
        await released;
      });
      await holding;
      // Were the sweep to wait on the held row, it would never return: the row is released after.
      const deleted = await store.sweepIdempotencyKeys();
      release();
      await writer;
      const left = await database.db
        .select({ key: schema.idempotencyKeys.key })
        .from(schema.idempotencyKeys);
      expect({ deleted, left }).toEqual({ deleted: 1, left: [{ key: 'held' }] });
    } finally {
      await database.close();
    }
  });
});

describe('the live feed across processes on postgres', () => {
  it('wakes a subscriber in this process for writes made by another process', async () => {
    const database = await freshDatabase('postgres');
    const feed = new LogEventFeed(database, { pollIntervalMs: 60_000 });
    await feed.start();
    const subscription = await feed.subscribe({ topics: ['authors'] });
    const root = join(__dirname, '../../..');
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        join(__dirname, 'testing/write-authors.child.ts'),
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: database.url,
          TS_NODE_PROJECT: join(root, 'libs/persistence/tsconfig.json'),
          TS_NODE_BASEURL: root,
          TS_NODE_COMPILER_OPTIONS: JSON.stringify({
            module: 'commonjs',
            moduleResolution: 'node',
          }),
          WRITE_COUNT: '3',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const events = await take(subscription, 3, 30_000);
    expect(await exited).toBe(0);
    expect(events.map((e) => (e.data as { name: string }).name)).toEqual([
      'child 0',
      'child 1',
      'child 2',
    ]);
    subscription.close();
    await feed.stop();
    await database.close();
  });
});

describe.each(['pglite', 'postgres'] as const)('the live feed’s cost on %s', (engine) => {
  it('reads the log once per commit however many subscribe: at most 3 statements a write', async () => {
    let statements = 0;
    const database = await freshDatabase(engine, 10, { onQuery: () => statements++ });
    const bookshop = bookshopOn(database);
    const feed = new LogEventFeed(database, { pollIntervalMs: 60_000 });
    try {
      await feed.start();
      // What a write costs by itself (nobody subscribed: the feed reads nothing).
      statements = 0;
      await bookshop.execute('authors.create', anAuthor());
      const write = statements;
      const subscriptions = await Promise.all(
        Array.from({ length: 1000 }, () => feed.subscribe({ topics: ['authors'] })),
      );
      const delivered = Promise.all(subscriptions.map((subscription) => take(subscription, 1)));
      statements = 0;
      await bookshop.execute('authors.create', anAuthor({ name: 'Heard by 1000' }));
      const events = await delivered;
      expect(events.every(([event]) => event?.type === 'author.created')).toBe(true);
      expect(statements - write).toBeLessThanOrEqual(3);
      subscriptions.forEach((subscription) => subscription.close());
    } finally {
      await feed.stop();
      await database.close();
    }
  });

  it('polls once per interval when idle, however many subscribe', async () => {
    let statements = 0;
    const database = await freshDatabase(engine, 10, { onQuery: () => statements++ });
    const feed = new LogEventFeed(database, { pollIntervalMs: 100 });
    try {
      const subscriptions = await Promise.all(
        Array.from({ length: 50 }, () => feed.subscribe({ topics: ['authors'] })),
      );
      // Each consumer waits on its subscription, as a connection's push loop does.
      const pending = subscriptions.map((subscription) =>
        subscription[Symbol.asyncIterator]().next(),
      );
      statements = 0;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      // About ten polls of one statement; a poll per subscription would be about 500.
      expect(statements).toBeGreaterThan(0);
      expect(statements).toBeLessThanOrEqual(15);
      subscriptions.forEach((subscription) => subscription.close());
      await Promise.all(pending);
    } finally {
      await feed.stop();
      await database.close();
    }
  });
});
