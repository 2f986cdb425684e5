import { type PagePosition } from './cursor';
import { type BookshopEvent, type NewEvent } from './events';
import { type Author, type Book, type Order, type OrderStatus } from './model';

/** What a list query asks of a repository: rows after `after`, at most `limit` of them. */
export interface PageRequest {
  after?: PagePosition;
  limit: number;
}

export interface FindOptions {
  /** Lock the row until the unit of work ends (SELECT … FOR UPDATE). */
  forUpdate?: boolean;
}

export interface AuthorRepository {
  insert(author: Author): Promise<void>;
  findById(id: string): Promise<Author | undefined>;
  findByIds(ids: readonly string[]): Promise<Author[]>;
  list(page: PageRequest): Promise<Author[]>;
}

export type BookChanges = Partial<Pick<Book, 'title' | 'authorId' | 'isbn' | 'priceCents'>>;

export interface BookRepository {
  /** Throws CONFLICT when the ISBN is taken. */
  insert(book: Book): Promise<void>;
  findById(id: string, options?: FindOptions): Promise<Book | undefined>;
  findByIds(ids: readonly string[]): Promise<Book[]>;
  list(filter: { authorId?: string; q?: string }, page: PageRequest): Promise<Book[]>;
  /** One page of each author's books, in one query; the result holds every author's rows. */
  listByAuthors(authorIds: readonly string[], page: PageRequest): Promise<Book[]>;
  /** Applies the changes, bumps `version`, returns the book after; throws CONFLICT when the ISBN is taken. */
  update(id: string, changes: BookChanges, at: string): Promise<Book>;
  /**
   * Adds `delta` to the stock in one conditional statement, only when the
   * result stays within `[0, max]`; bumps `version`. Returns the book after,
   * or undefined when the book is missing or the bound would be crossed.
   */
  changeStock(id: string, delta: number, at: string, max?: number): Promise<Book | undefined>;
  delete(id: string): Promise<boolean>;
  isReferencedByOrders(id: string): Promise<boolean>;
}

export interface OrderRepository {
  insert(order: Order): Promise<void>;
  findById(id: string, options?: FindOptions): Promise<Order | undefined>;
  setStatus(id: string, status: OrderStatus): Promise<void>;
}

/**
 * The event log, written inside the unit of work of the change it records.
 * The events get their `seq` when the unit of work has committed; the store
 * has numbered them by the time `transaction` resolves.
 */
export interface EventLog {
  append(events: readonly NewEvent[], occurredAt: string): Promise<void>;
}

/** A write's outcome kept under its idempotency key (CONTRACT.md, "Safe retries"). */
export interface IdempotencyRecord {
  operation: string;
  /** The digest of the write's normalised input. */
  inputHash: string;
  /** The write's result, as JSON. */
  result: unknown;
}

export interface IdempotencyClaim {
  /** Whose key it is (a digest of the API key): owners never see each other's keys. */
  owner: string;
  key: string;
  operation: string;
  inputHash: string;
  at: string;
}

/**
 * The idempotency keys, written inside the unit of work of the write they
 * record, so that a write and its record commit or roll back together.
 */
export interface IdempotencyKeys {
  /**
   * Claims the key for this unit of work, or returns the record a committed
   * one left under it. While another unit of work that claimed the key is
   * still running, this waits for it: when it commits, its record is
   * returned; when it rolls back, the claim is this one's. A record past the
   * store's retention counts as absent.
   */
  claim(claim: IdempotencyClaim): Promise<IdempotencyRecord | undefined>;
  /** Stores the result of the write that claimed the key. */
  record(owner: string, key: string, result: unknown): Promise<void>;
}

export interface Repositories {
  authors: AuthorRepository;
  books: BookRepository;
  orders: OrderRepository;
  events: EventLog;
  idempotencyKeys: IdempotencyKeys;
}

/**
 * The unit of work. `transaction` runs the work in one database transaction:
 * it commits when the work resolves and rolls back, events included, when it
 * throws.
 */
export interface Store {
  read<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}

export interface Clock {
  now(): Date;
}

export interface IdSource {
  newId(): string;
}

/** A live, ordered stream of logged events. */
export interface EventSubscription extends AsyncIterable<BookshopEvent> {
  /** Ends the stream; a pending `next()` resolves as done. */
  close(): void;
}

export interface SubscribeOptions {
  topics: readonly string[];
  /** Replay every matching event with `seq > since` first; absent means live events only. */
  since?: number;
}

/**
 * The live feed: replays from the log, then streams new events, in `seq`
 * order with no gap and no duplicate.
 */
export interface EventFeed {
  latestSeq(): Promise<number>;
  subscribe(options: SubscribeOptions): Promise<EventSubscription>;
}
