import type { Author, Book, ErrorDetails, OperationInput, Order, Page } from '@bookshop/domain';
import { type JsonSchema, PROBLEM_XML_NAMESPACE, readXmlDocument, toXml } from '@bookshop/xml';
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

/** The representation the REST client sends and asks for: JSON (the default) or XML. */
export type RestFormat = 'json' | 'xml';

export interface RestClientOptions extends ClientOptions {
  /**
   * `xml`: bodies go as `application/xml` and replies are asked for as
   * `application/xml` (problems as `application/problem+xml`), in the mapping
   * the OpenAPI document describes; the results are the same values. XML has
   * no types of its own: the client reads the service's OpenAPI document once
   * (as the SOAP client reads the WSDL) and types what it reads by its schemas.
   */
  format?: RestFormat;
}

/** How one call's values look in XML: the body's root element, and the reply's root and schema. */
interface XmlShape {
  body?: string;
  reply: string;
  schema: string;
}

/**
 * REST over fetch: each operation is a method on a resource under `/api`;
 * the status says what happened and a failure is `application/problem+json`.
 * `expectedVersion` travels as `If-Match` with the book's ETag (RFC 9110
 * §13.1.1), which is how HTTP says "only if nobody changed it".
 */
export class RestClient implements BookshopClient {
  readonly protocol = 'rest';
  readonly format: RestFormat;

  private schemas?: Promise<Record<string, JsonSchema>>;

  constructor(private readonly options: RestClientOptions) {
    this.format = options.format ?? 'json';
  }

  /** The schemas of the service's OpenAPI document, read once (again after a failed read). */
  private xmlSchemas(): Promise<Record<string, JsonSchema>> {
    this.schemas ??= (async () => {
      const response = await fetch(new URL('/api/openapi.json', this.options.url));
      if (!response.ok) {
        throw new ProtocolError(`GET /api/openapi.json: HTTP ${response.status}`);
      }
      const document = (await response.json()) as {
        components?: { schemas?: Record<string, JsonSchema> };
      };
      return document.components?.schemas ?? {};
    })().catch((error: unknown) => {
      this.schemas = undefined;
      throw error;
    });
    return this.schemas;
  }

  createAuthor(input: OperationInput<'authors.create'>, options?: WriteOptions): Promise<Author> {
    return this.send('POST', '/api/authors', {
      body: input,
      headers: keyed(options),
      xml: { body: 'author', reply: 'author', schema: 'Author' },
    });
  }

  getAuthor({ id }: OperationInput<'authors.get'>): Promise<Author> {
    return this.send('GET', `/api/authors/${segment(id)}`, {
      xml: { reply: 'author', schema: 'Author' },
    });
  }

  listAuthors(input: OperationInput<'authors.list'> = {}): Promise<Page<Author>> {
    return this.send('GET', `/api/authors${query(input)}`, {
      xml: { reply: 'page', schema: 'AuthorPage' },
    });
  }

  createBook(input: OperationInput<'books.create'>, options?: WriteOptions): Promise<Book> {
    return this.send('POST', '/api/books', {
      body: input,
      headers: keyed(options),
      xml: { body: 'book', reply: 'book', schema: 'Book' },
    });
  }

  getBook({ id }: OperationInput<'books.get'>): Promise<Book> {
    return this.send('GET', `/api/books/${segment(id)}`, {
      xml: { reply: 'book', schema: 'Book' },
    });
  }

  listBooks(input: OperationInput<'books.list'> = {}): Promise<Page<Book>> {
    return this.send('GET', `/api/books${query(input)}`, {
      xml: { reply: 'page', schema: 'BookPage' },
    });
  }

  /**
   * A page of books with their authors in one request: `include=author` makes
   * the page a compound document, each author once under `included.authors`
   * (the other protocols' clients fetch the authors themselves, or GraphQL
   * asks for `author` in its query).
   */
  listBooksWithAuthors(input: OperationInput<'books.list'> = {}): Promise<BookPageWithAuthors> {
    return this.send('GET', `/api/books${query({ ...input, include: 'author' })}`, {
      xml: { reply: 'page', schema: 'BookPageWithAuthors' },
    });
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
      xml: { body: 'book', reply: 'book', schema: 'Book' },
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
      xml: { body: 'stockAdjustment', reply: 'book', schema: 'Book' },
    });
  }

  placeOrder(input: OperationInput<'orders.place'>, options?: WriteOptions): Promise<Order> {
    return this.send('POST', '/api/orders', {
      body: input,
      headers: keyed(options),
      xml: { body: 'order', reply: 'order', schema: 'Order' },
    });
  }

  getOrder({ id }: OperationInput<'orders.get'>): Promise<Order> {
    return this.send('GET', `/api/orders/${segment(id)}`, {
      xml: { reply: 'order', schema: 'Order' },
    });
  }

  cancelOrder({ id }: OperationInput<'orders.cancel'>, options?: WriteOptions): Promise<Order> {
    return this.send('POST', `/api/orders/${segment(id)}/cancel`, {
      headers: keyed(options),
      xml: { reply: 'order', schema: 'Order' },
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private async send<T>(
    method: string,
    path: string,
    {
      body,
      headers = {},
      xml,
    }: { body?: unknown; headers?: Record<string, string>; xml?: XmlShape } = {},
  ): Promise<T> {
    const asXml = this.format === 'xml' && xml !== undefined;
    const response = await fetch(new URL(path, this.options.url), {
      method,
      headers: {
        accept: asXml
          ? 'application/xml, application/problem+xml'
          : 'application/json, application/problem+json',
        ...(body === undefined
          ? {}
          : { 'content-type': asXml ? 'application/xml' : 'application/json' }),
        ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        ...headers,
      },
      body:
        body === undefined
          ? undefined
          : asXml
            ? toXml(xml.body ?? 'body', body as object)
            : JSON.stringify(body),
    });
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    // A reply is read as what it says it is: the service may answer JSON where XML cannot carry the text.
    const xmlReply = /^application\/(problem\+)?xml/.test(
      response.headers.get('content-type') ?? '',
    );
    if (response.ok) {
      if (!xmlReply) return JSON.parse(text) as T;
      if (!xml) throw new ProtocolError(`${method} ${path}: an XML reply where none was asked for`);
      const schemas = await this.xmlSchemas();
      return readXmlDocument(text, {
        root: xml.reply,
        schema: schemas[xml.schema] ?? {},
        definitions: schemas,
      }) as T;
    }
    const schemas = xmlReply ? await this.xmlSchemas() : {};
    let problem: Problem;
    try {
      problem = (
        xmlReply
          ? readXmlDocument(text, {
              root: 'problem',
              namespace: PROBLEM_XML_NAMESPACE,
              schema: schemas['Problem'] ?? {},
              definitions: schemas,
            })
          : JSON.parse(text)
      ) as Problem;
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
