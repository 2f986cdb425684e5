import type { OperationName } from '@bookshop/domain';
import { type BookshopClient } from './bookshop-client';

/** The client method of each catalogue operation. */
export const CLIENT_METHODS = {
  'authors.create': 'createAuthor',
  'authors.get': 'getAuthor',
  'authors.list': 'listAuthors',
  'books.create': 'createBook',
  'books.get': 'getBook',
  'books.list': 'listBooks',
  'books.update': 'updateBook',
  'books.delete': 'deleteBook',
  'books.adjustStock': 'adjustStock',
  'orders.place': 'placeOrder',
  'orders.get': 'getOrder',
  'orders.cancel': 'cancelOrder',
} as const satisfies Record<OperationName, keyof BookshopClient>;

/** Calls an operation by its catalogue name, with input of any shape (the service judges it). */
export function callOperation(
  client: BookshopClient,
  operation: OperationName,
  input: unknown,
): Promise<unknown> {
  const method = client[CLIENT_METHODS[operation]].bind(client) as (
    input: unknown,
  ) => Promise<unknown>;
  return method(input);
}
