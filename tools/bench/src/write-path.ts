/**
 * The write path's cost: `orders.place` through the use case and the store,
 * in this process, on Postgres and on PGlite, with the event log as the store
 * writes it and as the same order transaction without it (both in one run,
 * interleaved), under many concurrent writers.
 *
 *   nx run bench:write-path                          50 writers, 3 × 5 s per variant
 *   nx run bench:write-path --args="--writers 10 --seconds 3 --repeats 1"
 *
 * Postgres comes from DATABASE_URL, else a container (POSTGRES_IMAGE).
 */
import { Bookshop, type Repositories, randomIds, type Store, systemClock } from '@bookshop/domain';
import { type Database, DrizzleStore, openDatabase } from '@bookshop/persistence';
import { benchDatabase } from './database';
import { percentile } from './measure';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
};
const WRITERS = option('writers', 50);
const SECONDS = option('seconds', 5);
const REPEATS = option('repeats', 3);
const BOOKS = 200;

/** The same store, its transactions handed an event log that writes nothing. */
class WithoutLog implements Store {
  constructor(private readonly store: Store) {}

  read<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.store.read(work);
  }

  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.store.transaction((repositories) =>
      work({
        ...repositories,
        events: {
          append: () => Promise.resolve(),
        },
      }),
    );
  }
}

async function seedBooks(bookshop: Bookshop): Promise<string[]> {
  const author = await bookshop.execute('authors.create', { name: 'Writer' });
  const ids: string[] = [];
  for (let b = 0; b < BOOKS; b++) {
    const digits = String(978_200_000_000 + b);
    const sum = [...digits].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
    const book = await bookshop.execute('books.create', {
      title: `Written ${b}`,
      authorId: author.id,
      isbn: `${digits}${(10 - (sum % 10)) % 10}`,
      priceCents: 100,
      stock: 1_000_000,
    });
    ids.push(book.id);
  }
  return ids;
}

interface Result {
  orders: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

/** `WRITERS` closed loops placing one-line orders on random books for `SECONDS`. */
async function run(bookshop: Bookshop, bookIds: string[]): Promise<Result> {
  const latencies: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (performance.now() < until) {
        const bookId = bookIds[Math.floor(Math.random() * bookIds.length)] ?? '';
        const started = performance.now();
        await bookshop.execute('orders.place', { lines: [{ bookId, quantity: 1 }] });
        latencies.push(performance.now() - started);
      }
    }),
  );
  const sorted = Float64Array.from(latencies).sort();
  return {
    orders: sorted.length,
    perSecond: sorted.length / SECONDS,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

async function measure(engine: string, database: Database): Promise<void> {
  await database.migrate();
  const withLog = new Bookshop({
    store: new DrizzleStore(database.db),
    clock: systemClock,
    ids: randomIds,
  });
  const withoutLog = new Bookshop({
    store: new WithoutLog(new DrizzleStore(database.db)),
    clock: systemClock,
    ids: randomIds,
  });
  const bookIds = await seedBooks(withLog);
  const results: Record<string, Result[]> = { 'with the log': [], 'without it': [] };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    // Interleaved, the order turning each repeat: drift spreads over both.
    const order =
      repeat % 2 === 0 ? ['with the log', 'without it'] : ['without it', 'with the log'];
    for (const variant of order) {
      const bookshop = variant === 'with the log' ? withLog : withoutLog;
      results[variant]?.push(await run(bookshop, bookIds));
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? NaN;
  const rows = Object.entries(results).map(([variant, runs]) => ({
    variant,
    perSecond: median(runs.map((r) => r.perSecond)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    max: Math.max(...runs.map((r) => r.max)),
  }));
  console.log(`\n${engine}: orders.place, ${WRITERS} writers, ${REPEATS} × ${SECONDS} s each\n`);
  console.log('| variant | orders/s | p50 ms | p99 ms | p99 / p50 | max ms |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const row of rows)
    console.log(
      `| ${row.variant} | ${row.perSecond.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${(row.p99 / row.p50).toFixed(1)} | ${row.max.toFixed(0)} |`,
    );
  const [logged, bare] = rows;
  if (logged && bare)
    console.log(`\nwith the log / without it: ${(logged.perSecond / bare.perSecond).toFixed(2)}×`);
}

async function main(): Promise<void> {
  const database = await benchDatabase('writes');
  try {
    const postgresDb = await openDatabase({
      url: database.url,
      poolSize: WRITERS,
    });
    try {
      await measure('Postgres', postgresDb);
    } finally {
      await postgresDb.close();
    }
    const pglite = await openDatabase();
    try {
      await measure('PGlite (in process)', pglite);
    } finally {
      await pglite.close();
    }
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
