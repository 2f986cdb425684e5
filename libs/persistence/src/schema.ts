import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/** Times keep millisecond precision, as the wire does, so cursors compare exactly. */
const time = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });

export const authors = pgTable(
  'authors',
  {
    id: uuid().primaryKey(),
    name: text().notNull(),
    bio: text(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [index('authors_page_idx').on(t.createdAt, t.id)],
);

export const books = pgTable(
  'books',
  {
    id: uuid().primaryKey(),
    title: text().notNull(),
    authorId: uuid()
      .notNull()
      .references(() => authors.id),
    isbn: text().notNull().unique('books_isbn_unique'),
    priceCents: integer().notNull(),
    stock: integer().notNull(),
    version: integer().notNull(),
    createdAt: time('created_at').notNull(),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    index('books_page_idx').on(t.createdAt, t.id),
    index('books_author_idx').on(t.authorId, t.createdAt, t.id),
    // The domain checks these first; the database holds the line if a bug does not.
    check('books_stock_non_negative', sql`${t.stock} >= 0`),
    check('books_price_range', sql`${t.priceCents} between 0 and 10000000`),
  ],
);

export const orders = pgTable('orders', {
  id: uuid().primaryKey(),
  status: text({ enum: ['PLACED', 'CANCELLED'] }).notNull(),
  totalCents: bigint({ mode: 'number' }).notNull(),
  createdAt: time('created_at').notNull(),
});

export const orderLines = pgTable(
  'order_lines',
  {
    orderId: uuid()
      .notNull()
      .references(() => orders.id),
    position: smallint().notNull(),
    bookId: uuid()
      .notNull()
      .references(() => books.id, { onDelete: 'restrict' }),
    quantity: integer().notNull(),
    unitPriceCents: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.position] }),
    index('order_lines_book_idx').on(t.bookId),
  ],
);

/**
 * The event log. `seq` is given by the sequencer (`sequenceEvents` in
 * event-sequencer.ts), which moves committed events here from `event_inbox`
 * and takes `event_counter`'s single row to number them: the row lock orders
 * the sequencer's commits, so events become visible in `seq` order and a
 * reader that has seen `seq = n` can never later find a committed event
 * below `n`.
 */
export const events = pgTable(
  'events',
  {
    seq: bigint({ mode: 'number' }).primaryKey(),
    type: text().notNull(),
    occurredAt: time('occurred_at').notNull(),
    data: jsonb().notNull(),
    topics: text().array().notNull(),
    /** The writing call's W3C `traceparent`, when it was traced. */
    trace: text(),
  },
  (t) => [index('events_topics_idx').using('gin', t.topics)],
);

export const eventCounter = pgTable(
  'event_counter',
  {
    id: smallint().primaryKey(),
    lastSeq: bigint({ mode: 'number' }).notNull(),
  },
  (t) => [check('event_counter_single_row', sql`${t.id} = 1`)],
);

/**
 * Events as their transactions write them: unnumbered, so that writers take
 * no shared lock and commit concurrently. `id` only orders them: a
 * transaction that waited on another's rows inserts after that one
 * committed, so it gets the larger id. The sequencer numbers them in `id`
 * order once committed and deletes them here.
 */
export const eventInbox = pgTable('event_inbox', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  type: text().notNull(),
  occurredAt: time('occurred_at').notNull(),
  data: jsonb().notNull(),
  topics: text().array().notNull(),
  trace: text(),
});

/**
 * Writes' results under their idempotency keys (CONTRACT.md, "Safe
 * retries"), one row per owner (a digest of the API key) and key, written in
 * the write's transaction. `result` is `json`, not `jsonb`, so a replay gives
 * the members in the order the first answer had them. Rows older than the
 * retention are swept by `created_at`.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    owner: text().notNull(),
    key: text().notNull(),
    operation: text().notNull(),
    inputHash: text().notNull(),
    result: json(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.owner, t.key] }),
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
);

export const schema = {
  authors,
  books,
  orders,
  orderLines,
  events,
  eventCounter,
  eventInbox,
  idempotencyKeys,
};
