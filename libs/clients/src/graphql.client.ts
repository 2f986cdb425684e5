import type {
  Author,
  Book,
  BookshopEvent,
  ErrorCode,
  ErrorDetails,
  OperationInput,
  Order,
  Page,
} from '@bookshop/domain';
import { type Client as WsClient, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  type BookshopClient,
  BookshopError,
  type BookshopEvents,
  type ClientOptions,
  errorCode,
  type ClientSubscription,
  ProtocolError,
  type WriteOptions,
} from './bookshop-client';

const AUTHOR = 'fragment A on Author { id name bio createdAt }';
const BOOK =
  'fragment B on Book { id title authorId isbn priceCents stock version createdAt updatedAt }';
const ORDER =
  'fragment O on Order { id status lines { bookId quantity unitPriceCents } totalCents createdAt }';

/** `extensions.code` back to the contract's codes: the two that differ, and request-level errors. */
const FROM_GRAPHQL: Record<string, ErrorCode> = {
  BAD_USER_INPUT: 'VALIDATION_FAILED',
  INTERNAL_SERVER_ERROR: 'INTERNAL',
  GRAPHQL_PARSE_FAILED: 'BAD_REQUEST',
  GRAPHQL_VALIDATION_FAILED: 'BAD_REQUEST',
};

interface GraphqlError {
  message: string;
  extensions?: { code?: string; details?: ErrorDetails };
}

interface Connection<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * GraphQL over HTTP (POST JSON to `/graphql`) for the operations, and the
 * graphql-ws protocol on the same path for events. Each method sends one
 * document with variables and asks for every field of the contract's types.
 * Two differences the interface hides, and says so:
 * - a query answers `null` for a missing id; this client reports it as
 *   NOT_FOUND, as the other protocols do;
 * - lists are connections; this client turns edges and `pageInfo` into a page.
 */
export class GraphqlClient implements BookshopClient, BookshopEvents {
  readonly protocol = 'graphql';
  private ws?: { socket: WsClient; connected: Promise<void> };

  constructor(private readonly options: ClientOptions) {}

  async createAuthor(
    input: OperationInput<'authors.create'>,
    options?: WriteOptions,
  ): Promise<Author> {
    const data = await this.request<{ createAuthor: Author }>(
      `mutation ($input: CreateAuthorInput!) { createAuthor(input: $input) { ...A } } ${AUTHOR}`,
      { input },
      options,
    );
    return data.createAuthor;
  }

  async getAuthor({ id }: OperationInput<'authors.get'>): Promise<Author> {
    const data = await this.request<{ author: Author | null }>(
      `query ($id: ID!) { author(id: $id) { ...A } } ${AUTHOR}`,
      { id },
    );
    return data.author ?? notFound('author', id);
  }

  async listAuthors({ limit, cursor }: OperationInput<'authors.list'> = {}): Promise<Page<Author>> {
    const data = await this.request<{ authors: Connection<Author> }>(
      `query ($first: Int, $after: String) { authors(first: $first, after: $after) {
        edges { node { ...A } } pageInfo { hasNextPage endCursor } } } ${AUTHOR}`,
      { first: limit, after: cursor },
    );
    return page(data.authors);
  }

  async createBook(input: OperationInput<'books.create'>, options?: WriteOptions): Promise<Book> {
    const data = await this.request<{ createBook: Book }>(
      `mutation ($input: CreateBookInput!) { createBook(input: $input) { ...B } } ${BOOK}`,
      { input },
      options,
    );
    return data.createBook;
  }

  async getBook({ id }: OperationInput<'books.get'>): Promise<Book> {
    const data = await this.request<{ book: Book | null }>(
      `query ($id: ID!) { book(id: $id) { ...B } } ${BOOK}`,
      { id },
    );
    return data.book ?? notFound('book', id);
  }

  async listBooks({ authorId, q, limit, cursor }: OperationInput<'books.list'> = {}): Promise<
    Page<Book>
  > {
    const data = await this.request<{ books: Connection<Book> }>(
      `query ($filter: BookFilter, $first: Int, $after: String) {
        books(filter: $filter, first: $first, after: $after) {
        edges { node { ...B } } pageInfo { hasNextPage endCursor } } } ${BOOK}`,
      { filter: { authorId, q }, first: limit, after: cursor },
    );
    return page(data.books);
  }

  async updateBook(
    { id, ...input }: OperationInput<'books.update'>,
    options?: WriteOptions,
  ): Promise<Book> {
    const data = await this.request<{ updateBook: Book }>(
      `mutation ($id: ID!, $input: UpdateBookInput!) { updateBook(id: $id, input: $input) { ...B } } ${BOOK}`,
      { id, input },
      options,
    );
    return data.updateBook;
  }

  async deleteBook(
    { id }: OperationInput<'books.delete'>,
    options?: WriteOptions,
  ): Promise<{ id: string }> {
    const data = await this.request<{ deleteBook: string }>(
      'mutation ($id: ID!) { deleteBook(id: $id) }',
      { id },
      options,
    );
    return { id: data.deleteBook };
  }

  async adjustStock(
    { id, delta }: OperationInput<'books.adjustStock'>,
    options?: WriteOptions,
  ): Promise<Book> {
    const data = await this.request<{ adjustStock: Book }>(
      `mutation ($id: ID!, $delta: Int!) { adjustStock(id: $id, delta: $delta) { ...B } } ${BOOK}`,
      { id, delta },
      options,
    );
    return data.adjustStock;
  }

  async placeOrder(input: OperationInput<'orders.place'>, options?: WriteOptions): Promise<Order> {
    const data = await this.request<{ placeOrder: Order }>(
      `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { ...O } } ${ORDER}`,
      { input },
      options,
    );
    return data.placeOrder;
  }

  async getOrder({ id }: OperationInput<'orders.get'>): Promise<Order> {
    const data = await this.request<{ order: Order | null }>(
      `query ($id: ID!) { order(id: $id) { ...O } } ${ORDER}`,
      { id },
    );
    return data.order ?? notFound('order', id);
  }

  async cancelOrder(
    { id }: OperationInput<'orders.cancel'>,
    options?: WriteOptions,
  ): Promise<Order> {
    const data = await this.request<{ cancelOrder: Order }>(
      `mutation ($id: ID!) { cancelOrder(id: $id) { ...O } } ${ORDER}`,
      { id },
      options,
    );
    return data.cancelOrder;
  }

  /**
   * `subscription { events(topics, since) }` over graphql-ws, on one socket
   * per client. Resolves once the socket is acknowledged: graphql-ws confirms
   * the connection, not each subscription, so pass `since` to be sure of
   * every event after a known `seq`.
   */
  async subscribe(
    topics: readonly string[],
    onEvent: (event: BookshopEvent) => void,
    { since, onError }: { since?: number; onError?: (error: unknown) => void } = {},
  ): Promise<ClientSubscription> {
    const { socket, connected } = this.socket();
    let failed: (error: unknown) => void = () => undefined;
    const failure = new Promise<never>((_, reject) => (failed = reject));
    let started = false;
    const end = socket.subscribe<{ events: BookshopEvent }>(
      {
        query:
          'subscription ($topics: [String!]!, $since: Int) { events(topics: $topics, since: $since) { seq type occurredAt data } }',
        variables: { topics, since },
      },
      {
        next: ({ data, errors }) => {
          if (data) onEvent(data.events);
          else if (errors) onError?.(fromErrors(errors as GraphqlError[]));
        },
        error: (error) => (started ? onError?.(error) : failed(fromSocketError(error))),
        complete: () => undefined,
      },
    );
    await Promise.race([connected, failure]);
    started = true;
    return { close: () => Promise.resolve(end()) };
  }

  private socket(): { socket: WsClient; connected: Promise<void> } {
    if (!this.ws) {
      const socket = createClient({
        url: new URL('/graphql', this.options.url.replace(/^http/, 'ws')).href,
        webSocketImpl: WebSocket,
        connectionParams: this.options.apiKey
          ? { authorization: `Bearer ${this.options.apiKey}` }
          : {},
        retryAttempts: 0,
      });
      this.ws = {
        socket,
        connected: new Promise((resolve) => socket.on('connected', () => resolve())),
      };
    }
    return this.ws;
  }

  async close(): Promise<void> {
    await this.ws?.socket.dispose();
  }

  private async request<T>(
    query: string,
    variables: Record<string, unknown>,
    { idempotencyKey }: WriteOptions = {},
  ): Promise<T> {
    const response = await fetch(new URL('/graphql', this.options.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        // The key covers the request's one mutation field.
        ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
      },
      body: JSON.stringify({ query, variables }),
    });
    let body: { data?: T | null; errors?: GraphqlError[] };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new ProtocolError(`HTTP ${response.status} without a GraphQL response`);
    }
    if (body.errors?.length) throw fromErrors(body.errors, response.status);
    if (!body.data) throw new ProtocolError('A GraphQL response with neither data nor errors');
    return body.data;
  }
}

/** The first error of a response; a request-level 413 or 400 without a code keeps the status's code. */
function fromErrors(errors: GraphqlError[], status?: number): BookshopError {
  const [first] = errors as [GraphqlError];
  const raw = first.extensions?.code;
  const code =
    raw !== undefined
      ? (FROM_GRAPHQL[raw] ?? errorCode(raw))
      : status === 413
        ? 'PAYLOAD_TOO_LARGE'
        : 'BAD_REQUEST';
  return new BookshopError(code, first.message, first.extensions?.details);
}

function fromSocketError(error: unknown): unknown {
  return Array.isArray(error) ? fromErrors(error as GraphqlError[]) : error;
}

function notFound(entity: string, id: string): never {
  throw new BookshopError('NOT_FOUND', `No ${entity} has the id ${JSON.stringify(id)}`);
}

function page<T>(connection: Connection<T>): Page<T> {
  return {
    items: connection.edges.map((edge) => edge.node),
    nextCursor: connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null,
  };
}
