import type { BookshopClient } from '@bookshop/clients';
import type { Author, Book, OperationInput } from '@bookshop/domain';
import { aBook, anAuthor } from '@bookshop/domain/testing';
import { uniqueIsbn } from './data';

/**
 * Test data for the e2e suites, made through a running service's client: the
 * domain's builders (`anAuthor`, `aBook`) give the input, the service stores it.
 */
export function savedAuthor(
  client: BookshopClient,
  overrides: Partial<OperationInput<'authors.create'>> = {},
): Promise<Author> {
  return client.createAuthor(anAuthor(overrides));
}

/** A stored book with a unique ISBN, by a new author unless `authorId` is given. */
export async function savedBook(
  client: BookshopClient,
  overrides: Partial<OperationInput<'books.create'>> = {},
): Promise<Book> {
  const authorId = overrides.authorId ?? (await savedAuthor(client)).id;
  return client.createBook(aBook(authorId, { isbn: uniqueIsbn(), ...overrides }));
}
