import { applyDecorators, HttpCode, RequestMapping, RequestMethod } from '@nestjs/common';
import { type OperationName } from '@bookshop/domain';
import { ServesOperation } from '@bookshop/platform';

/** How HTTP carries an operation. */
export interface RestBinding {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI's spelling: `{id}` is the operation's target. */
  path: string;
  /** Where the input comes from besides the path's `id`. */
  input: 'body' | 'query' | 'none';
  status: 200 | 201 | 204;
  /**
   * Conditional writes (RFC 9110 §13.1.1): `If-Match`. Every read is
   * conditional (`If-None-Match`; see http-cache.ts).
   */
  conditional?: 'if-match';
  /** The read's entity has a last modification: `Last-Modified` and `If-Modified-Since`. */
  lastModified?: true;
  /** A related resource a list can embed with `include` (a compound document). */
  includes?: 'author';
}

/**
 * Every catalogue operation as a route (ARCHITECTURE.md rule 3). `@Route`
 * registers the controllers' handlers from this table, and the OpenAPI
 * document is built from it, so the two cannot disagree.
 */
export const REST_BINDINGS = {
  'authors.create': { method: 'post', path: '/api/authors', input: 'body', status: 201 },
  'authors.get': {
    method: 'get',
    path: '/api/authors/{id}',
    input: 'none',
    status: 200,
    lastModified: true,
  },
  'authors.list': { method: 'get', path: '/api/authors', input: 'query', status: 200 },
  'books.create': { method: 'post', path: '/api/books', input: 'body', status: 201 },
  'books.get': {
    method: 'get',
    path: '/api/books/{id}',
    input: 'none',
    status: 200,
    lastModified: true,
  },
  'books.list': {
    method: 'get',
    path: '/api/books',
    input: 'query',
    status: 200,
    includes: 'author',
  },
  'books.update': {
    method: 'patch',
    path: '/api/books/{id}',
    input: 'body',
    status: 200,
    conditional: 'if-match',
  },
  'books.delete': { method: 'delete', path: '/api/books/{id}', input: 'none', status: 204 },
  'books.adjustStock': {
    method: 'post',
    path: '/api/books/{id}/stock-adjustments',
    input: 'body',
    status: 200,
  },
  'orders.place': { method: 'post', path: '/api/orders', input: 'body', status: 201 },
  'orders.get': { method: 'get', path: '/api/orders/{id}', input: 'none', status: 200 },
  'orders.cancel': { method: 'post', path: '/api/orders/{id}/cancel', input: 'none', status: 200 },
} as const satisfies Record<OperationName, RestBinding>;

const METHODS = {
  get: RequestMethod.GET,
  post: RequestMethod.POST,
  patch: RequestMethod.PATCH,
  delete: RequestMethod.DELETE,
} as const;

/** `/api/books/{id}` as the router writes it: `/api/books/:id`. */
export function routerPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** Registers a handler as the operation's route: method, path and success status from REST_BINDINGS. */
export function Route(operation: OperationName): MethodDecorator {
  const binding: RestBinding = REST_BINDINGS[operation];
  return applyDecorators(
    RequestMapping({ method: METHODS[binding.method], path: routerPath(binding.path) }),
    HttpCode(binding.status),
    ServesOperation(operation),
  );
}
