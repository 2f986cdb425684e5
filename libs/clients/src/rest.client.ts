import type { Author, Book, ErrorDetails, OperationInput, Order, Page } from '@bookshop/domain';
import {
  type BookshopClient,
  BookshopError,
  type ClientOptions,
  errorCode,
  ProtocolError,
  type WriteOptions,
} from './bookshop-client';

/** A page of books and the authors of its books, each once (REST's `include=author`). */
export type BookPageWithAuthors = Page<Book> & { included: { authors: Author[] } };

/** The fields of an RFC 9457 problem document this client reads (`code` and `errors` are the contract's). */
interface Problem {
  code?: unknown;
  detail?: unknown;
  title?: unknown;
  errors?: ErrorDetails;
}

/**
 * REST over fetch: each operation is a method on a resource under `/api`;
 * the status says what happened and a failure is `application/problem+json`.
 * `expectedVersion` travels as `If-Match` with the book's ETag (RFC 9110
 * §13.1.1), which is how HTTP says "only if nobody changed it".
 */
export class RestClient implements BookshopClient {
  readonly protocol = 'rest';

  constructor(private readonly options: ClientOptions) {}

  createAuthor(input: OperationInput<'authors.create'>, options?: WriteOptions): Promise<Author> {
    return this.send('POST', '/api/authors', { body: input, headers: keyed(options) });
  }

  getAuthor({ id }: OperationInput<'authors.get'>): Promise<Author> {
    return this.send('GET', `/api/authors/${segment(id)}`);
  }

  listAuthors(input: OperationInput<'authors.list'> = {}): Promise<Page<Author>> {
    return this.send('GET', `/api/authors${query(input)}`);
  }

  createBook(input: OperationInput<'books.create'>, options?: WriteOptions): Promise<Book> {
    return this.send('POST', '/api/books', { body: input, headers: keyed(options) });
  }

  getBook({ id }: OperationInput<'books.get'>): Promise<Book> {
    return this.send('GET', `/api/books/${segment(id)}`);
  }

  listBooks(input: OperationInput<'books.list'> = {}): Promise<Page<Book>> {
    return this.send('GET', `/api/books${query(input)}`);
  }

  /**
   * A page of books with their authors in one request: `include=author` makes
   * the page a compound document, each author once under `included.authors`
   * (the other protocols' clients fetch the authors themselves, or GraphQL
   * asks for `author` in its query).
   */
  listBooksWithAuthors(input: OperationInput<'books.list'> = {}): Promise<BookPageWithAuthors> {
    return this.send('GET', `/api/books${query({ ...input, include: 'author' })}`);
  }

  updateBook(
    { id, expectedVersion, ...changes }: OperationInput<'books.update'>,
    options?: WriteOptions,
  ): Promise<Book> {
    const ifMatch: Record<string, string> =
      expectedVersion === undefined ? {} : { 'if-match': `"${expectedVersion}"` };
    return this.send('PATCH', `/api/books/${segment(id)}`, {
      body: changes,
      headers: { ...ifMatch, ...keyed(options) },
    });
  }

  async deleteBook(
    { id }: OperationInput<'books.delete'>,
    options?: WriteOptions,
  ): Promise<{ id: string }> {
    await this.send<undefined>('DELETE', `/api/books/${segment(id)}`, { headers: keyed(options) });
    return { id };
  }

  adjustStock(
    { id, delta }: OperationInput<'books.adjustStock'>,
    options?: WriteOptions,
  ): Promise<Book> {
    return this.send('POST', `/api/books/${segment(id)}/stock-adjustments`, {
      body: { delta },
      headers: keyed(options),
    });
  }

  placeOrder(input: OperationInput<'orders.place'>, options?: WriteOptions): Promise<Order> {
    return this.send('POST', '/api/orders', { body: input, headers: keyed(options) });
  }

  getOrder({ id }: OperationInput<'orders.get'>): Promise<Order> {
    return this.send('GET', `/api/orders/${segment(id)}`);
  }

  cancelOrder({ id }: OperationInput<'orders.cancel'>, options?: WriteOptions): Promise<Order> {
    return this.send('POST', `/api/orders/${segment(id)}/cancel`, { headers: keyed(options) });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async send<T>(
    method: string,
    path: string,
    { body, headers = {} }: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const response = await fetch(new URL(path, this.options.url), {
      method,
      headers: {
        accept: 'application/json, application/problem+json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (response.ok) return JSON.parse(text) as T;
    let problem: Problem;
    try {
      problem = JSON.parse(text) as Problem;
    } catch {
      throw new ProtocolError(`${method} ${path}: HTTP ${response.status} without a problem body`);
    }
    throw new BookshopError(
      errorCode(problem.code),
      typeof problem.detail === 'string' ? problem.detail : String(problem.title),
      problem.errors,
    );
  }
}

/** A write's `Idempotency-Key` header, when it has a key. */
function keyed(options: WriteOptions = {}): Record<string, string> {
  return options.idempotencyKey === undefined ? {} : { 'idempotency-key': options.idempotencyKey };
}

/** An id as one path segment: whatever it holds, it cannot leave its segment. */
function segment(id: string): string {
  return encodeURIComponent(id);
}

/** The defined fields of an input as a query string (`?limit=2&q=dune`). */
function query(input: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(input)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
