import { isbnFor } from '@bookshop/domain/testing';

let next = Math.floor(Math.random() * 100_000_000);

/** A valid ISBN-13 that no other call in this process returns. */
export function uniqueIsbn(): string {
  return isbnFor(++next);
}
