import {
  DomainError,
  isDomainError,
  topicsOf,
  type Author,
  type Book,
  type NewEvent,
  type Order,
  type PageRequest,
  type AuthorRepository,
  type BookRepository,
  type EventLog,
  type IdempotencyKeys,
  type OrderRepository,
  type Repositories,
  type Store,
} from '@bookshop/domain';
import { and, asc, eq, getTableColumns, ilike, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import { type BookshopDb } from './database';
import { sequencerFor } from './event-sequencer';
import { authors, books, eventInbox, idempotencyKeys, orderLines, orders } from './schema';

type AuthorRow = typeof authors.$inferSelect;
type BookRow = typeof books.$inferSelect;

const toAuthor = (row: AuthorRow): Author => ({
  id: row.id,
  name: row.name,
  bio: row.bio,
  createdAt: row.createdAt.toISOString(),
});

const toBook = (row: BookRow): Book => ({
  id: row.id,
  title: row.title,
  authorId: row.authorId,
  isbn: row.isbn,
  priceCents: row.priceCents,
  stock: row.stock,
  version: row.version,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** Rows strictly after the page position, in (created_at, id) order. */
function after(table: typeof authors | typeof books, page: PageRequest): SQL | undefined {
  if (!page.after) return undefined;
  return sql`(${table.createdAt}, ${table.id}) > (${page.after.createdAt}::timestamptz, ${page.after.id}::uuid)`;
}

/** `%` and `_` in the user's text are literal characters, not wildcards. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

const PG_UNIQUE_VIOLATION = '23505';

/** Drizzle wraps driver errors; the Postgres fields are on the cause. */
function pgError(error: unknown): { code?: string; constraint?: string } {
  const candidate = error as { code?: string; constraint?: string; cause?: unknown };
  return candidate?.cause && typeof candidate.cause === 'object' ? candidate.cause : candidate;
}

async function isbnUnique<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const { code, constraint } = pgError(error);
    if (code === PG_UNIQUE_VIOLATION && constraint === 'books_isbn_unique') {
      throw DomainError.conflict('Another book has this ISBN', [
        { path: 'isbn', message: 'is already taken' },
      ]);
    }
    throw error;
  }
}

export interface DrizzleStoreOptions {
  /**
   * The longest a unit of work may wait on the database; past it the caller
   * gets UNAVAILABLE and a transaction that had not committed rolls back.
   * Absent: no deadline (the embedded engine).
   */
  deadlineMs?: number;
  /** The active call's W3C `traceparent`, recorded with the events it writes (tracing on). */
  traceparent?: () => string | undefined;
  /** How long an idempotency key holds its write's result; older records count as absent. Default a day. */
  idempotencyRetentionMs?: number;
}

/** The contract keeps idempotency keys at least this long (CONTRACT.md, "Safe retries"). */
export const DEFAULT_IDEMPOTENCY_RETENTION_MS = 24 * 3_600_000;

/** The domain's unit of work on Drizzle; the same code runs on Postgres and PGlite. */
export class DrizzleStore implements Store {
  /** The repositories reads use: made once, with the reads by id prepared. */
  private readonly reads: Repositories;

  constructor(
    private readonly db: BookshopDb,
    private readonly options: DrizzleStoreOptions = {},
  ) {
    this.reads = repositories(db, undefined, undefined, preparedReads(db), this.retentionMs);
  }

  read<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.guard(() => work(this.reads));
  }

  private get retentionMs(): number {
    return this.options.idempotencyRetentionMs ?? DEFAULT_IDEMPOTENCY_RETENTION_MS;
  }

  /**
   * Deletes idempotency records past the retention, a batch at a time. Rows a
   * running write holds locked are skipped (SKIP LOCKED), so the sweep never
   * waits on a write nor makes one wait. Returns how many it deleted.
   */
  async sweepIdempotencyKeys(now: Date = new Date(), batch = 1000): Promise<number> {
    const cutoff = new Date(now.getTime() - this.retentionMs);
    let deleted = 0;
    for (;;) {
      const rows = await this.guard(() =>
        this.db.execute(sql`
          delete from ${idempotencyKeys}
          where (${idempotencyKeys.owner}, ${idempotencyKeys.key}) in (
            select ${idempotencyKeys.owner}, ${idempotencyKeys.key} from ${idempotencyKeys}
            where ${idempotencyKeys.createdAt} < ${cutoff}
            order by ${idempotencyKeys.createdAt}
            limit ${batch}
            for update skip locked)
          returning 1`),
      );
      const count = rowCount(rows);
      deleted += count;
      if (count < batch) return deleted;
    }
  }

  async transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    let appended = false;
    const result = await this.guard((expired) =>
      this.db.transaction(async (tx) => {
        const result = await work(
          repositories(
            tx,
            () => (appended = true),
            this.options.traceparent,
            undefined,
            this.retentionMs,
          ),
        );
        // The caller was already told UNAVAILABLE: roll back rather than commit behind its back.
        if (expired()) throw DomainError.unavailable();
        return result;
      }),
    );
    if (appended) await this.sequenced();
    return result;
  }

  /**
   * Waits for the events just committed to be numbered, so that a write's
   * events are in the log when its caller hears back. The write has
   * committed whatever happens here: a failed or late run is not the
   * caller's error, and the feeds' polls number what it left.
   */
  private async sequenced(): Promise<void> {
    const run = sequencerFor(this.db).run();
    run.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.deadlineMs ?? 30_000);
    });
    try {
      await Promise.race([
        run.then(
          () => undefined,
          () => undefined,
        ),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs a unit of work within the deadline; an outage becomes UNAVAILABLE, never INTERNAL. */
  private async guard<T>(work: (expired: () => boolean) => Promise<T>): Promise<T> {
    const deadlineMs = this.options.deadlineMs;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const running = work(() => timedOut);
      if (deadlineMs === undefined) return await running;
      // Whatever the work does after the deadline is nobody's answer: keep its rejection handled.
      running.catch(() => undefined);
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(
            DomainError.unavailable(
              `The database did not answer within ${deadlineMs} ms; try again`,
            ),
          );
        }, deadlineMs);
      });
      return await Promise.race([running, deadline]);
    } catch (error) {
      if (isDomainError(error)) throw error;
      if (isOutage(error)) throw DomainError.unavailable();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** SQLSTATE classes and codes that say the database is out of reach, not that the request is wrong. */
const OUTAGE_SQLSTATES = [
  /^08/, // connection exception
  /^57P0[1-4]$/, // admin/crash shutdown, cannot connect now, database dropped
  /^57014$/, // query_canceled: statement_timeout
  /^53300$/, // too_many_connections
];
const OUTAGE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const OUTAGE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /not queryable/i,
  /Client was closed and is not queryable/i,
  /Cannot use a pool after calling end/i,
  /Connection ended/i,
];

/**
 * True when an error (or its cause, as Drizzle wraps driver errors) says the
 * database could not be reached or answered too late: the outage the
 * contract names UNAVAILABLE.
 */
export function isOutage(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
    const code = typeof candidate.code === 'string' ? candidate.code : undefined;
    if (code && OUTAGE_NODE_CODES.has(code)) return true;
    if (code && OUTAGE_SQLSTATES.some((pattern) => pattern.test(code))) return true;
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    if (OUTAGE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = candidate.cause;
  }
  return false;
}

// The protocol's unnamed statement is the one named '' (PostgreSQL, "Extended Query").
const UNNAMED = '';

/**
 * The reads every request makes, built once: drizzle otherwise builds a
 * query's SQL again on every call. Reads outside a transaction only: a
 * statement prepared on the pool would run outside it. Unnamed, so the
 * server sees an ordinary parameterised query: a named statement lives in
 * one server session, and the embedded database served over the wire is one
 * session for every process and connection, where a second `Parse` of the
 * same name fails.
 */
function preparedReads(db: BookshopDb) {
  return {
    authorById: db
      .select()
      .from(authors)
      .where(eq(authors.id, sql.placeholder('id')))
      .prepare(UNNAMED),
    bookById: db
      .select()
      .from(books)
      .where(eq(books.id, sql.placeholder('id')))
      .prepare(UNNAMED),
  };
}

type PreparedReads = ReturnType<typeof preparedReads>;

function repositories(
  db: BookshopDb,
  onAppend: () => void = () => undefined,
  traceparent?: () => string | undefined,
  prepared?: PreparedReads,
  retentionMs = DEFAULT_IDEMPOTENCY_RETENTION_MS,
): Repositories {
  return {
    authors: authorRepository(db, prepared),
    books: bookRepository(db, prepared),
    orders: orderRepository(db),
    events: eventLog(db, onAppend, traceparent),
    idempotencyKeys: idempotencyKeyRepository(db, retentionMs),
  };
}

/** Rows a `db.execute` returned: node-postgres and PGlite answer in the same shape. */
function rowCount(result: unknown): number {
  return (result as { rows: unknown[] }).rows.length;
}

/**
 * Idempotency records. A claim is one statement: insert the key, or, when a
 * record exists, take it over only if it has expired. Postgres makes an
 * insert that meets a key another running transaction inserted wait for that
 * transaction, and `on conflict do update` locks the row it met, so after the
 * statement the record read next is committed and stays until this
 * transaction ends.
 */
function idempotencyKeyRepository(db: BookshopDb, retentionMs: number): IdempotencyKeys {
  return {
    claim: async ({ owner, key, operation, inputHash, at }) => {
      const createdAt = new Date(at);
      const expired = new Date(createdAt.getTime() - retentionMs);
      const claimed = await db
        .insert(idempotencyKeys)
        .values({ owner, key, operation, inputHash, result: null, createdAt })
        .onConflictDoUpdate({
          target: [idempotencyKeys.owner, idempotencyKeys.key],
          set: { operation, inputHash, result: null, createdAt },
          setWhere: lt(idempotencyKeys.createdAt, expired),
        })
        .returning({ key: idempotencyKeys.key });
      if (claimed.length > 0) return undefined;
      const [row] = await db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.owner, owner), eq(idempotencyKeys.key, key)));
      if (!row) throw new Error(`The idempotency record ${key} vanished while locked`);
      return { operation: row.operation, inputHash: row.inputHash, result: row.result };
    },
    record: async (owner, key, result) => {
      await db
        .update(idempotencyKeys)
        .set({ result })
        .where(and(eq(idempotencyKeys.owner, owner), eq(idempotencyKeys.key, key)));
    },
  };
}

/** Authors, oldest first. */
function authorRepository(db: BookshopDb, prepared?: PreparedReads): AuthorRepository {
  return {
    insert: async (author) => {
      await db.insert(authors).values({ ...author, createdAt: new Date(author.createdAt) });
    },
    findById: async (id) => {
      const [row] = prepared
        ? await prepared.authorById.execute({ id })
        : await db.select().from(authors).where(eq(authors.id, id));
      return row && toAuthor(row);
    },
    findByIds: async (ids) => {
      if (ids.length === 0) return [];
      return (
        await db
          .select()
          .from(authors)
          .where(inArray(authors.id, [...ids]))
      ).map(toAuthor);
    },
    list: async (page) => {
      const rows = await db
        .select()
        .from(authors)
        .where(after(authors, page))
        .orderBy(asc(authors.createdAt), asc(authors.id))
        .limit(page.limit);
      return rows.map(toAuthor);
    },
  };
}

/** Books; stock changes are single conditional statements (ARCHITECTURE.md rule 6). */
function bookRepository(db: BookshopDb, prepared?: PreparedReads): BookRepository {
  return {
    insert: (book) =>
      isbnUnique(async () => {
        await db.insert(books).values({
          ...book,
          createdAt: new Date(book.createdAt),
          updatedAt: new Date(book.updatedAt),
        });
      }),
    findById: async (id, options) => {
      if (prepared && !options?.forUpdate) {
        const [row] = await prepared.bookById.execute({ id });
        return row && toBook(row);
      }
      const query = db.select().from(books).where(eq(books.id, id));
      const [row] = options?.forUpdate ? await query.for('update') : await query;
      return row && toBook(row);
    },
    findByIds: async (ids) => {
      if (ids.length === 0) return [];
      return (
        await db
          .select()
          .from(books)
          .where(inArray(books.id, [...ids]))
      ).map(toBook);
    },
    list: async (filter, page) => {
      const rows = await db
        .select()
        .from(books)
        .where(
          and(
            filter.authorId ? eq(books.authorId, filter.authorId) : undefined,
            filter.q ? ilike(books.title, containing(filter.q)) : undefined,
            after(books, page),
          ),
        )
        .orderBy(asc(books.createdAt), asc(books.id))
        .limit(page.limit);
      return rows.map(toBook);
    },
    // One query for every author's page: number each author's books, keep the first `limit`.
    listByAuthors: async (authorIds, page) => {
      if (authorIds.length === 0) return [];
      const ranked = db
        .select({
          ...getTableColumns(books),
          rank: sql<number>`row_number() over (partition by ${books.authorId} order by ${books.createdAt}, ${books.id})`.as(
            'rank',
          ),
        })
        .from(books)
        .where(and(inArray(books.authorId, [...authorIds]), after(books, page)))
        .as('ranked');
      const rows = await db
        .select()
        .from(ranked)
        .where(lte(ranked.rank, page.limit))
        .orderBy(asc(ranked.authorId), asc(ranked.createdAt), asc(ranked.id));
      return rows.map(toBook);
    },
    update: (id, changes, at) =>
      isbnUnique(async () => {
        const [row] = await db
          .update(books)
          .set({ ...changes, version: sql`${books.version} + 1`, updatedAt: new Date(at) })
          .where(eq(books.id, id))
          .returning();
        if (!row) throw new Error(`Book ${id} vanished inside its own transaction`);
        return toBook(row);
      }),
    // One conditional statement: the check and the change cannot be split by a concurrent writer.
    changeStock: async (id, delta, at, max) => {
      const [row] = await db
        .update(books)
        .set({
          stock: sql`${books.stock} + ${delta}`,
          version: sql`${books.version} + 1`,
          updatedAt: new Date(at),
        })
        .where(
          and(
            eq(books.id, id),
            sql`${books.stock} + ${delta} >= 0`,
            max === undefined ? undefined : sql`${books.stock} + ${delta} <= ${max}`,
          ),
        )
        .returning();
      return row && toBook(row);
    },
    delete: async (id) => {
      const deleted = await db.delete(books).where(eq(books.id, id)).returning({ id: books.id });
      return deleted.length > 0;
    },
    isReferencedByOrders: async (id) => {
      const [row] = await db
        .select({ one: sql<number>`1` })
        .from(orderLines)
        .where(eq(orderLines.bookId, id))
        .limit(1);
      return row !== undefined;
    },
  };
}

/** Orders and their lines, read together. */
function orderRepository(db: BookshopDb): OrderRepository {
  const loadOrders = async (ids: string[], forUpdate = false): Promise<Order[]> => {
    if (ids.length === 0) return [];
    const query = db.select().from(orders).where(inArray(orders.id, ids));
    const rows = forUpdate ? await query.for('update') : await query;
    const lines = await db
      .select()
      .from(orderLines)
      .where(inArray(orderLines.orderId, ids))
      .orderBy(asc(orderLines.orderId), asc(orderLines.position));
    return rows.map((row) => ({
      id: row.id,
      status: row.status,
      totalCents: row.totalCents,
      createdAt: row.createdAt.toISOString(),
      lines: lines
        .filter((line) => line.orderId === row.id)
        .map((line) => ({
          bookId: line.bookId,
          quantity: line.quantity,
          unitPriceCents: line.unitPriceCents,
        })),
    }));
  };

  return {
    insert: async (order) => {
      await db.insert(orders).values({
        id: order.id,
        status: order.status,
        totalCents: order.totalCents,
        createdAt: new Date(order.createdAt),
      });
      await db
        .insert(orderLines)
        .values(order.lines.map((line, position) => ({ ...line, orderId: order.id, position })));
    },
    findById: async (id, options) => (await loadOrders([id], options?.forUpdate))[0],
    setStatus: async (id, status) => {
      await db.update(orders).set({ status }).where(eq(orders.id, id));
    },
  };
}

/**
 * The event log as a transaction writes it: one insert into the inbox, which
 * takes no shared lock, so writers commit concurrently. The sequencer numbers
 * the events once the transaction has committed (see event-sequencer.ts).
 */
function eventLog(
  db: BookshopDb,
  onAppend: () => void,
  traceparent?: () => string | undefined,
): EventLog {
  return {
    append: async (newEvents: readonly NewEvent[], occurredAt) => {
      if (newEvents.length === 0) return;
      const at = new Date(occurredAt);
      const trace = traceparent?.() ?? null;
      await db.insert(eventInbox).values(
        newEvents.map((event) => ({
          type: event.type,
          occurredAt: at,
          data: event.data,
          topics: topicsOf(event),
          trace,
        })),
      );
      onAppend();
    },
  };
}
