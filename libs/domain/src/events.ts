import { z } from 'zod';
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
export type BookshopEvent = NewEvent & {
  seq: number;
  occurredAt: string;
  /**
   * The W3C `traceparent` of the call that wrote it, when that call was
   * traced: a delivery's span links to it. Not part of what the protocols send.
   */
  trace?: string;
};

export const FIXED_TOPICS = ['authors', 'books', 'stock', 'orders'] as const;
const TOPIC_MESSAGE = `must be one of ${FIXED_TOPICS.join(', ')} or book:<id>`;
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
      return ['books', `book:${event.data.id}`];
    case 'stock.changed':
      return ['stock', `book:${event.data.bookId}`];
    case 'order.placed':
    case 'order.cancelled':
      return ['orders'];
  }
}

export function matchesTopics(event: NewEvent, topics: ReadonlySet<string>): boolean {
  return topicsOf(event).some((topic) => topics.has(topic));
}

const topic = z
  .string(TOPIC_MESSAGE)
  .refine(
    (value) => (FIXED_TOPICS as readonly string[]).includes(value) || BOOK_TOPIC.test(value),
    TOPIC_MESSAGE,
  );

/**
 * A subscriber's topics: each one of FIXED_TOPICS or `book:<uuid>`, at most
 * MAX_TOPICS. Topics are compared in lower case, as ids are (CONTRACT.md,
 * "Domain"), and a repeated one counts once.
 */
export const topicsSchema = z
  .array(topic, 'must be a non-empty list of topics')
  .min(1, 'must be a non-empty list of topics')
  .max(MAX_TOPICS, `at most ${MAX_TOPICS} topics`)
  .transform((topics) => [...new Set(topics.map((each) => each.toLowerCase()))])
  .describe(`${FIXED_TOPICS.join(', ')} or book:<id>; at most ${MAX_TOPICS}`);

/** A subscriber's `since`: absent (live only) or a non-negative integer seq. */
export const sinceSchema = z
  .int('must be a non-negative integer')
  .min(0, 'must be a non-negative integer')
  .nullish()
  .transform((since) => since ?? undefined)
  .describe('Replay every event with a greater seq first');

/** What a subscription asks for, on every protocol that offers one. */
export const subscribeInput = z.object({ topics: topicsSchema, since: sinceSchema });
/** What an unsubscription names. */
export const unsubscribeInput = z.object({ topics: topicsSchema });
