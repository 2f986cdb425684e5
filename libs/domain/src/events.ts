import { DomainError } from './errors';
import { type Author, type Book, type Order } from './model';

/** Why a book's stock changed. */
export type StockChangeReason = 'order' | 'cancel' | 'adjustment';

export interface StockChanged {
  bookId: string;
  stock: number;
  delta: number;
  reason: StockChangeReason;
}

/** The data each event type carries: the entity after the change, except `stock.changed`. */
export interface EventDataByType {
  'author.created': Author;
  'book.created': Book;
  'book.updated': Book;
  'book.deleted': { id: string };
  'stock.changed': StockChanged;
  'order.placed': Order;
  'order.cancelled': Order;
}

export type EventType = keyof EventDataByType;

export const EVENT_TYPES = [
  'author.created',
  'book.created',
  'book.updated',
  'book.deleted',
  'stock.changed',
  'order.placed',
  'order.cancelled',
] as const satisfies readonly EventType[];

/** An event as a use case records it, before the log gives it a `seq`. */
export type NewEvent = {
  [T in EventType]: { type: T; data: EventDataByType[T] };
}[EventType];

/** An event as the log holds it; `seq` is global and strictly increasing. */
export type BookshopEvent = NewEvent & { seq: number; occurredAt: string };

export const FIXED_TOPICS = ['authors', 'books', 'stock', 'orders'] as const;
const BOOK_TOPIC = /^book:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_TOPICS = 50;

/** The topics an event is published on: its family, and `book:<id>` for everything about one book. */
export function topicsOf(event: NewEvent): string[] {
  switch (event.type) {
    case 'author.created':
      return ['authors'];
    case 'book.created':
    case 'book.updated':
    case 'book.deleted':
      return ['books', `book:${event.data.id.toLowerCase()}`];
    case 'stock.changed':
      return ['stock', `book:${event.data.bookId.toLowerCase()}`];
    case 'order.placed':
    case 'order.cancelled':
      return ['orders'];
  }
}

export function matchesTopics(event: NewEvent, topics: ReadonlySet<string>): boolean {
  return topicsOf(event).some((topic) => topics.has(topic));
}

/** Checks a subscriber's topics: each one of FIXED_TOPICS or `book:<uuid>`. */
export function parseTopics(topics: unknown, path = 'topics'): string[] {
  if (!Array.isArray(topics) || topics.length === 0) {
    throw DomainError.invalidField(path, 'must be a non-empty list of topics');
  }
  if (topics.length > MAX_TOPICS) {
    throw DomainError.invalidField(path, `at most ${MAX_TOPICS} topics`);
  }
  const issues = topics.flatMap((topic, index) =>
    typeof topic === 'string' &&
    ((FIXED_TOPICS as readonly string[]).includes(topic) || BOOK_TOPIC.test(topic))
      ? []
      : [
          {
            path: `${path}[${index}]`,
            message: `must be one of ${FIXED_TOPICS.join(', ')} or book:<id>`,
          },
        ],
  );
  if (issues.length > 0) throw DomainError.validation(issues);
  return [...new Set((topics as string[]).map((topic) => topic.toLowerCase()))];
}

/** Checks a subscriber's `since`: absent (live only) or a non-negative integer seq. */
export function parseSince(since: unknown, path = 'since'): number | undefined {
  if (since === undefined || since === null) return undefined;
  if (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0) {
    throw DomainError.invalidField(path, 'must be a non-negative integer');
  }
  return since;
}
