import type {
  Author,
  Book,
  FieldIssue,
  OperationInput,
  Order,
  Page,
  StockShortage,
} from '@bookshop/domain';
import { type Client, createClientAsync, WSSecurity } from 'soap';
import {
  type BookshopClient,
  BookshopError,
  type ClientOptions,
  errorCode,
  ProtocolError,
  type WriteOptions,
} from './bookshop-client';

/** An element as node `soap` reads it: children by local name, xsd:int as numbers, xsd:dateTime as Dates. */
type Element = Record<string, unknown>;

/**
 * SOAP 1.1 through node `soap`, built from the WSDL the service serves:
 * node `soap` reads the port's address, the operations and the schema from
 * it, and each call is `<Operation>Async(element's children)`. The key goes
 * in a WS-Security UsernameToken as PasswordText (the contract's
 * "Credentials"; node `soap` defaults to PasswordDigest). A Fault carries the
 * contract's code in `detail/BookshopFault`.
 */
export class SoapClient implements BookshopClient {
  readonly protocol = 'soap';

  /** The idempotency key of each call in flight, by its arguments object (see `connect`). */
  private readonly keys = new WeakMap<object, string>();

  private constructor(private readonly client: Client) {
    // node `soap` writes each call's envelope as the call starts, asking this
    // function for the Header's entries with the call's own arguments object:
    // so a key reaches the one call it belongs to, even with calls running at once.
    client.addSoapHeader((_method: unknown, _location: unknown, _action: unknown, args: object) => {
      const key = this.keys.get(args);
      return key === undefined
        ? ''
        : `<tns:IdempotencyKey xmlns:tns="urn:bookshop:v1">${escapeText(key)}</tns:IdempotencyKey>`;
    });
  }

  /** Reads the WSDL at `<url>/soap?wsdl` and returns a client for its port. */
  static async connect(options: ClientOptions): Promise<SoapClient> {
    const client = await createClientAsync(new URL('/soap?wsdl', options.url).href);
    if (options.apiKey) {
      client.setSecurity(
        new WSSecurity('bookshop-client', options.apiKey, {
          passwordType: 'PasswordText',
          hasTimeStamp: false,
        }),
      );
    }
    return new SoapClient(client);
  }

  async createAuthor(
    input: OperationInput<'authors.create'>,
    options?: WriteOptions,
  ): Promise<Author> {
    return author((await this.call('CreateAuthor', input, options))['author']);
  }

  async getAuthor(input: OperationInput<'authors.get'>): Promise<Author> {
    return author((await this.call('GetAuthor', input))['author']);
  }

  async listAuthors(input: OperationInput<'authors.list'> = {}): Promise<Page<Author>> {
    const response = await this.call('ListAuthors', input);
    return { items: many(response['author']).map(author), nextCursor: cursor(response) };
  }

  async createBook(input: OperationInput<'books.create'>, options?: WriteOptions): Promise<Book> {
    return book((await this.call('CreateBook', input, options))['book']);
  }

  async getBook(input: OperationInput<'books.get'>): Promise<Book> {
    return book((await this.call('GetBook', input))['book']);
  }

  async listBooks(input: OperationInput<'books.list'> = {}): Promise<Page<Book>> {
    const response = await this.call('ListBooks', input);
    return { items: many(response['book']).map(book), nextCursor: cursor(response) };
  }

  async updateBook(input: OperationInput<'books.update'>, options?: WriteOptions): Promise<Book> {
    return book((await this.call('UpdateBook', input, options))['book']);
  }

  async deleteBook(
    input: OperationInput<'books.delete'>,
    options?: WriteOptions,
  ): Promise<{ id: string }> {
    return { id: String((await this.call('DeleteBook', input, options))['id']) };
  }

  async adjustStock(
    input: OperationInput<'books.adjustStock'>,
    options?: WriteOptions,
  ): Promise<Book> {
    return book((await this.call('AdjustStock', input, options))['book']);
  }

  /** `PlaceOrder` holds one `line` child per line (bookshop.wsdl). */
  async placeOrder(
    { lines, ...rest }: OperationInput<'orders.place'>,
    options?: WriteOptions,
  ): Promise<Order> {
    return order((await this.call('PlaceOrder', { ...rest, line: lines }, options))['order']);
  }

  async getOrder(input: OperationInput<'orders.get'>): Promise<Order> {
    return order((await this.call('GetOrder', input))['order']);
  }

  async cancelOrder(
    input: OperationInput<'orders.cancel'>,
    options?: WriteOptions,
  ): Promise<Order> {
    return order((await this.call('CancelOrder', input, options))['order']);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async call(
    operation: string,
    args: object,
    { idempotencyKey }: WriteOptions = {},
  ): Promise<Element> {
    const method = (this.client as unknown as Record<string, unknown>)[`${operation}Async`];
    if (typeof method !== 'function') throw new ProtocolError(`The WSDL has no ${operation}`);
    const defined = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
    if (idempotencyKey !== undefined) this.keys.set(defined, idempotencyKey);
    try {
      const [response] = (await (method as (a: object) => Promise<unknown[]>).call(
        this.client,
        defined,
      )) as [Element | null];
      return response ?? {};
    } catch (error) {
      throw fromFault(error);
    }
  }
}

interface FaultReply {
  root?: { Envelope?: { Body?: { Fault?: { faultstring?: string; detail?: Element } } } };
}

/** Text as XML character data. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Fault as a BookshopError; anything else (a network failure) passes unchanged. */
export function fromFault(error: unknown): unknown {
  const fault = (error as FaultReply | undefined)?.root?.Envelope?.Body?.Fault;
  if (!fault) return error;
  const detail = fault.detail?.['BookshopFault'] as Element | undefined;
  if (!detail) {
    // VersionMismatch and MustUnderstand carry no detail (SOAP 1.1 §4.4).
    return new BookshopError('BAD_REQUEST', String(fault.faultstring));
  }
  const issues = many(detail['issue']).map((issue): FieldIssue => ({
    path: String(issue['path']),
    message: String(issue['message']),
  }));
  const shortages = many(detail['shortage']).map((line): StockShortage => ({
    bookId: String(line['bookId']),
    requested: Number(line['requested']),
    available: Number(line['available']),
  }));
  const details = issues.length > 0 ? issues : shortages.length > 0 ? shortages : undefined;
  return new BookshopError(errorCode(detail['code']), String(detail['message']), details);
}

/** A repeated element: node `soap` gives an array, one object, or nothing. */
function many(value: unknown): Element[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Element[];
}

/** xsd:dateTime comes back as a Date; the contract's times are ISO-8601 strings. */
function time(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function element(value: unknown, name: string): Element {
  if (value === null || typeof value !== 'object')
    throw new ProtocolError(`No ${name} in the reply`);
  return value as Element;
}

/** An optional element is absent on the wire where JSON says null. */
function cursor(response: Element): string | null {
  const next = response['nextCursor'];
  return typeof next === 'string' ? next : null;
}

function author(value: unknown): Author {
  const a = element(value, 'author');
  return {
    id: String(a['id']),
    name: String(a['name']),
    bio: typeof a['bio'] === 'string' ? a['bio'] : null,
    createdAt: time(a['createdAt']),
  };
}

function book(value: unknown): Book {
  const b = element(value, 'book');
  return {
    id: String(b['id']),
    title: String(b['title']),
    authorId: String(b['authorId']),
    isbn: String(b['isbn']),
    priceCents: Number(b['priceCents']),
    stock: Number(b['stock']),
    version: Number(b['version']),
    createdAt: time(b['createdAt']),
    updatedAt: time(b['updatedAt']),
  };
}

function order(value: unknown): Order {
  const o = element(value, 'order');
  return {
    id: String(o['id']),
    status: o['status'] === 'CANCELLED' ? 'CANCELLED' : 'PLACED',
    lines: many(o['line']).map((line) => ({
      bookId: String(line['bookId']),
      quantity: Number(line['quantity']),
      unitPriceCents: Number(line['unitPriceCents']),
    })),
    totalCents: Number(o['totalCents']),
    createdAt: time(o['createdAt']),
  };
}
