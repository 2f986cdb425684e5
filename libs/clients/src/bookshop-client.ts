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

/** The five protocols of CONTRACT.md. */
export const PROTOCOLS = ['rest', 'soap', 'graphql', 'jsonrpc', 'websocket'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** Where a client finds its service, and the API key it writes with. */
export interface ClientOptions {
  /** The service's base URL, e.g. `http://localhost:3001`. */
  url: string;
  /** Sent with every call; reads work without one, writes answer UNAUTHENTICATED. */
  apiKey?: string;
}

/** What a write may carry besides its input. */
export interface WriteOptions {
  /**
   * Makes a retry safe (CONTRACT.md, "Safe retries"): a repeat with the same
   * key and input gets the first result and changes nothing. Each protocol
   * carries it its own way: the `Idempotency-Key` header (REST, GraphQL,
   * JSON-RPC), a `tns:IdempotencyKey` header entry (SOAP), an
   * `idempotencyKey` frame member (WebSocket).
   */
  idempotencyKey?: string;
}

/**
 * The twelve operations of the catalogue, one method each, the same for every
 * protocol. Inputs are what a caller sends (before the service normalises
 * them); results are the contract's entities, times as ISO-8601 UTC strings.
 * Every failure the contract names rejects with a {@link BookshopError}.
 */
export interface BookshopClient {
  readonly protocol: Protocol;

  createAuthor(input: OperationInput<'authors.create'>, options?: WriteOptions): Promise<Author>;
  getAuthor(input: OperationInput<'authors.get'>): Promise<Author>;
  listAuthors(input?: OperationInput<'authors.list'>): Promise<Page<Author>>;

  createBook(input: OperationInput<'books.create'>, options?: WriteOptions): Promise<Book>;
  getBook(input: OperationInput<'books.get'>): Promise<Book>;
  listBooks(input?: OperationInput<'books.list'>): Promise<Page<Book>>;
  updateBook(input: OperationInput<'books.update'>, options?: WriteOptions): Promise<Book>;
  deleteBook(
    input: OperationInput<'books.delete'>,
    options?: WriteOptions,
  ): Promise<{ id: string }>;
  adjustStock(input: OperationInput<'books.adjustStock'>, options?: WriteOptions): Promise<Book>;

  placeOrder(input: OperationInput<'orders.place'>, options?: WriteOptions): Promise<Order>;
  getOrder(input: OperationInput<'orders.get'>): Promise<Order>;
  cancelOrder(input: OperationInput<'orders.cancel'>, options?: WriteOptions): Promise<Order>;

  /** Releases connections; the client is unusable afterwards. */
  close(): Promise<void>;
}

/** A running subscription. */
export interface ClientSubscription {
  /**
   * The latest global `seq` when the subscription started, where the
   * protocol says it (the WebSocket `subscribe` result does; graphql-ws
   * acknowledges a connection, not a subscription).
   */
  readonly seq?: number;
  close(): Promise<void>;
}

/** The protocols that push events: WebSocket and GraphQL subscriptions. */
export interface BookshopEvents {
  /**
   * Calls `onEvent` with every event on `topics`, in `seq` order. With
   * `since`, the events after that `seq` come first, then live ones, with no
   * gap and no duplicate (CONTRACT.md, "Events").
   */
  subscribe(
    topics: readonly string[],
    onEvent: (event: BookshopEvent) => void,
    options?: { since?: number; onError?: (error: unknown) => void },
  ): Promise<ClientSubscription>;
}

/** A failure the contract names, as every client reports it. */
export class BookshopError extends Error {
  override readonly name = 'BookshopError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Field issues for VALIDATION_FAILED (and some CONFLICTs), shortages for OUT_OF_STOCK. */
    readonly details?: ErrorDetails,
  ) {
    super(message);
  }
}

/** A reply the client could not read as the protocol's own shape: the service broke the contract. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/**
 * The contract's codes, as values: a client may import the domain's types
 * only, so the list lives here too, and `satisfies` makes a code the domain
 * adds and this list lacks a compile error.
 */
const CODES = {
  BAD_REQUEST: true,
  VALIDATION_FAILED: true,
  UNAUTHENTICATED: true,
  NOT_FOUND: true,
  CONFLICT: true,
  OUT_OF_STOCK: true,
  PAYLOAD_TOO_LARGE: true,
  RATE_LIMITED: true,
  UNAVAILABLE: true,
  INTERNAL: true,
} as const satisfies Record<ErrorCode, true>;

/** Reads a code off the wire; anything the contract does not list is INTERNAL. */
export function errorCode(value: unknown): ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CODES, value)
    ? (value as ErrorCode)
    : 'INTERNAL';
}
