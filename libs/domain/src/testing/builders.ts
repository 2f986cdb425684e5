import { type DomainError } from '../errors';
import { Bookshop } from '../bookshop';
import { isbn13CheckDigit } from '../isbn';
import { type Clock, type IdSource } from '../ports';
import { InMemoryStore } from './in-memory-store';

/** A clock that moves forward one millisecond per reading, from a fixed start. */
export function steppingClock(start = Date.UTC(2025, 0, 1)): Clock {
  let now = start;
  return { now: () => new Date(now++) };
}

/** UUID-shaped ids that count up: 00000000-0000-4000-8000-000000000001, … */
export function sequentialIds(): IdSource {
  let n = 0;
  return {
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  };
}

/** A valid ISBN-13 for a small number, so tests can make many distinct books. */
export function isbnFor(n: number): string {
  const first12 = `978${String(n).padStart(9, '0')}`;
  return `${first12}${isbn13CheckDigit(first12)}`;
}

export const anAuthor = (overrides: Record<string, unknown> = {}) => ({
  name: 'Ada Writer',
  bio: 'Writes things.',
  ...overrides,
});

let books = 0;
export const aBook = (authorId: string, overrides: Record<string, unknown> = {}) => ({
  title: `Book ${++books}`,
  authorId,
  isbn: isbnFor(100_000 + books),
  priceCents: 1500,
  stock: 10,
  ...overrides,
});

/** A Bookshop over an in-memory store, for use-case tests. */
export function inMemoryBookshop() {
  const store = new InMemoryStore();
  const bookshop = new Bookshop({ store, clock: steppingClock(), ids: sequentialIds() });
  return { store, bookshop };
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected the operation to fail');
}
