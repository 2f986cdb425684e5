import { DomainError } from './errors';
import { matchesTopics, subscribeInput, topicsOf } from './events';
import { parseInput } from './validation';

const parseTopics = (topics: unknown) => parseInput(subscribeInput, { topics }).topics;
const parseSince = (since: unknown) =>
  parseInput(subscribeInput, { topics: ['books'], since }).since;

const BOOK = '0c9b2f4e-5d2a-4f6b-8e3c-000000000101';

describe('event topics', () => {
  it('publishes book events on books and on the book’s own topic', () => {
    expect(topicsOf({ type: 'book.deleted', data: { id: BOOK } })).toEqual([
      'books',
      `book:${BOOK}`,
    ]);
  });

  it('publishes stock changes on stock and on the book’s own topic', () => {
    const event = {
      type: 'stock.changed' as const,
      data: { bookId: BOOK, stock: 1, delta: -1, reason: 'order' as const },
    };
    expect(topicsOf(event)).toEqual(['stock', `book:${BOOK}`]);
    expect(matchesTopics(event, new Set([`book:${BOOK}`]))).toBe(true);
    expect(matchesTopics(event, new Set(['books']))).toBe(false);
  });

  it('accepts the fixed topics and book:<id>, without duplicates', () => {
    expect(parseTopics(['books', 'orders', `book:${BOOK.toUpperCase()}`, 'books'])).toEqual([
      'books',
      'orders',
      `book:${BOOK}`,
    ]);
  });

  it('rejects unknown topics by index', () => {
    expect(() => parseTopics(['books', 'nope'])).toThrow(DomainError);
    try {
      parseTopics(['books', 'nope', 'book:1']);
    } catch (error) {
      expect((error as DomainError).details).toEqual([
        { path: 'topics[1]', message: 'must be one of authors, books, stock, orders or book:<id>' },
        { path: 'topics[2]', message: 'must be one of authors, books, stock, orders or book:<id>' },
      ]);
    }
  });

  it('rejects an empty topic list, a list that is not one, and more than MAX_TOPICS', () => {
    for (const topics of [[], 'books', undefined, Array.from({ length: 51 }, () => 'books')]) {
      expect(() => parseTopics(topics)).toThrow('The input is not valid');
    }
  });

  it('accepts a missing or non-negative integer since', () => {
    expect(parseSince(undefined)).toBeUndefined();
    expect(parseSince(0)).toBe(0);
    expect(() => parseSince(-1)).toThrow(DomainError);
    expect(() => parseSince(1.5)).toThrow(DomainError);
    expect(() => parseSince('3')).toThrow(DomainError);
  });
});
