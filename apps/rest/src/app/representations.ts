import {
  authorSchema,
  bookSchema,
  DomainError,
  inputSchema,
  type JsonSchema,
  type OperationName,
} from '@bookshop/domain';
import {
  isXmlRepresentable,
  PROBLEM_XML_NAMESPACE,
  readXmlDocument,
  toXml,
  XmlRefused,
} from '@bookshop/xml';
import { stringify } from 'csv-stringify/sync';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { PROBLEM_CONTENT_TYPE } from './rest-errors';
import { REST_BINDINGS, routerPath } from './rest.bindings';

/**
 * REST's representations (RFC 9110 §12, proactive negotiation): every route
 * speaks JSON (the default) and XML, chosen by `Accept` for replies and by
 * `Content-Type` for bodies; the two lists also speak CSV. Replies say
 * `Vary: Accept`. A route asked only for what it cannot produce answers 406,
 * a body of a type it cannot read 415, both as problems; a problem is
 * `application/problem+xml` (RFC 9457 Appendix A) when XML was asked for.
 */
export type Format = 'json' | 'xml' | 'csv';

export const MEDIA_TYPES = {
  json: 'application/json',
  xml: 'application/xml',
  csv: 'text/csv',
} as const satisfies Record<Format, string>;

export const PROBLEM_XML_CONTENT_TYPE = 'application/problem+xml';

/** XML root elements: of the body a write reads, and of the reply. */
export const XML_ELEMENTS = {
  'authors.create': { body: 'author', reply: 'author' },
  'authors.get': { reply: 'author' },
  'authors.list': { reply: 'page' },
  'books.create': { body: 'book', reply: 'book' },
  'books.get': { reply: 'book' },
  'books.list': { reply: 'page' },
  'books.update': { body: 'book', reply: 'book' },
  'books.delete': {},
  'books.adjustStock': { body: 'stockAdjustment', reply: 'book' },
  'orders.place': { body: 'order', reply: 'order' },
  'orders.get': { reply: 'order' },
  'orders.cancel': { reply: 'order' },
} as const satisfies Record<OperationName, { body?: string; reply?: string }>;

/** The columns of a list as CSV: the listed resource's fields, in the order of its schema. */
export const CSV_COLUMNS: { 'authors.list': readonly string[]; 'books.list': readonly string[] } = {
  'authors.list': Object.keys(authorSchema.shape),
  'books.list': Object.keys(bookSchema.shape),
};

/** What an operation's route can produce, in the order preferred when `Accept` allows several. */
export function formatsOf(operation: OperationName): Format[] {
  return operation in CSV_COLUMNS ? ['json', 'xml', 'csv'] : ['json', 'xml'];
}

/**
 * The format `Accept` prefers among `offered` (no `Accept` means anything, so
 * JSON); undefined when it accepts none of them. `text/xml` is read as XML.
 */
export function negotiate(
  accept: string | undefined,
  offered: readonly Format[],
): Format | undefined {
  const types = offered.flatMap((format) =>
    format === 'xml' ? [MEDIA_TYPES.xml, 'text/xml'] : [MEDIA_TYPES[format]],
  );
  const best = new Negotiator({ headers: { accept: accept ?? '*/*' } }).mediaType(types);
  if (best === undefined) return undefined;
  return best === 'text/xml'
    ? 'xml'
    : (Object.keys(MEDIA_TYPES) as Format[]).find((format) => MEDIA_TYPES[format] === best);
}

/** A client error of the HTTP layer, with its status (the problem's code is BAD_REQUEST). */
function httpError(statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { statusCode });
}

/** An XML body as it arrived, read by the route's input schema once the route is known. */
class XmlBody {
  constructor(readonly text: string) {}
}

const inputSchemas = new Map<OperationName, JsonSchema>();

/** A write's XML body as the JSON value the catalogue validates. */
export function readXmlBody(operation: OperationName, xml: string): unknown {
  const root = (XML_ELEMENTS[operation] as { body?: string }).body ?? '';
  let schema = inputSchemas.get(operation);
  if (!schema) {
    schema = inputSchema(operation, 'draft-2020-12');
    inputSchemas.set(operation, schema);
  }
  try {
    return readXmlDocument(xml, { root, schema });
  } catch (error) {
    // The contract's code for a body that is not of the documented shape.
    throw error instanceof XmlRefused ? new DomainError('BAD_REQUEST', error.message) : error;
  }
}

/** A list page as RFC 4180 CSV with a header row; a null field is empty. */
export function toCsv(operation: keyof typeof CSV_COLUMNS, items: readonly object[]): string {
  const columns: readonly string[] = CSV_COLUMNS[operation];
  return stringify(
    items.map((item) => columns.map((column) => (item as Record<string, unknown>)[column] ?? null)),
    { header: true, columns: [...columns], record_delimiter: 'windows', cast: { number: String } },
  );
}

const formats = new WeakMap<FastifyRequest, Format>();

/** The format negotiated for a request (JSON until negotiation ran, or where it did not). */
export function formatOf(request: FastifyRequest): Format {
  return formats.get(request) ?? 'json';
}

function addVary(reply: FastifyReply, field: string): void {
  const current = reply.getHeader('vary');
  const list = typeof current === 'string' && current !== '' ? `${current}, ${field}` : field;
  void reply.header('vary', list);
}

/** `next` for a CSV page, which has no room for `nextCursor` (RFC 8288). */
function nextLink(request: FastifyRequest, cursor: string): string {
  const url = new URL(request.url, 'http://localhost');
  url.searchParams.set('cursor', cursor);
  return `<${url.pathname}${url.search}>; rel="next"`;
}

/** Registers negotiation, the XML body parser and the XML and CSV serialisers. */
export function negotiateRepresentations(fastify: FastifyInstance): void {
  const routes = new Map<string, OperationName>();
  for (const [operation, binding] of Object.entries(REST_BINDINGS)) {
    routes.set(
      `${binding.method.toUpperCase()} ${routerPath(binding.path)}`,
      operation as OperationName,
    );
  }
  const operationOf = (request: FastifyRequest) =>
    routes.get(
      `${request.method === 'HEAD' ? 'GET' : request.method} ${request.routeOptions.url ?? ''}`,
    );

  fastify.addContentTypeParser(
    [MEDIA_TYPES.xml, 'text/xml'],
    { parseAs: 'string' },
    (request, body, done) => {
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '');
      if (charset && !/^utf-8$/i.test(charset[1] ?? '')) {
        done(httpError(415, 'An XML body is read as UTF-8 only'), undefined);
        return;
      }
      done(null, new XmlBody(body as string));
    },
  );

  fastify.addHook('onRequest', (request, reply, done) => {
    const operation = operationOf(request);
    if (operation === undefined) return done();
    addVary(reply, 'Accept');
    const offered = formatsOf(operation);
    const format = negotiate(request.headers.accept, offered);
    if (format === undefined) {
      return done(
        httpError(
          406,
          `This resource is available as ${offered.map((f) => MEDIA_TYPES[f]).join(', ')}; Accept allows none of them`,
        ),
      );
    }
    formats.set(request, format);
    done();
  });

  fastify.addHook('preHandler', (request, _reply, done) => {
    const operation = operationOf(request);
    if (operation === undefined) return done();
    try {
      if (request.body instanceof XmlBody) {
        // A route without a body ignores one, whatever its type.
        request.body =
          'body' in XML_ELEMENTS[operation] ? readXmlBody(operation, request.body.text) : undefined;
      }
      if (formatOf(request) === 'csv' && (request.query as Record<string, unknown>)['include']) {
        throw httpError(406, 'A CSV page has no room for included resources: ask for JSON or XML');
      }
      done();
    } catch (error) {
      done(error as Error);
    }
  });

  // The hook hands on text that is already serialised; the reply's serialiser passes it through.
  const asIs = (text: unknown) => text as string;
  fastify.addHook('preSerialization', (request, reply, payload: unknown, done) => {
    const format = formatOf(request);
    const operation = operationOf(request);
    if (
      format === 'json' ||
      operation === undefined ||
      payload === null ||
      typeof payload !== 'object'
    ) {
      return done(null, payload);
    }
    const problem = String(reply.getHeader('content-type') ?? '').startsWith(PROBLEM_CONTENT_TYPE);
    // A problem has no CSV form: it stays JSON.
    if (problem && format === 'csv') return done(null, payload);
    // XML 1.0 cannot write most control characters: such a reply goes as JSON, which can
    // (RFC 9110 §12.1 lets a server disregard Accept rather than fail a write it has done).
    if (format === 'xml') {
      if (!isXmlRepresentable(payload)) return done(null, payload);
      reply.serializer(asIs);
      if (problem) {
        void reply.header('content-type', PROBLEM_XML_CONTENT_TYPE);
        return done(null, toXml('problem', payload, PROBLEM_XML_NAMESPACE));
      }
      const root = (XML_ELEMENTS[operation] as { reply?: string }).reply ?? 'result';
      void reply.header('content-type', `${MEDIA_TYPES.xml}; charset=utf-8`);
      representationEtag(reply, 'xml');
      return done(null, toXml(root, payload));
    }
    const page = payload as { items: object[]; nextCursor: string | null };
    void reply.header('content-type', `${MEDIA_TYPES.csv}; charset=utf-8; header=present`);
    if (page.nextCursor) void reply.header('link', nextLink(request, page.nextCursor));
    reply.serializer(asIs);
    return done(null, toCsv(operation as keyof typeof CSV_COLUMNS, page.items));
  });
}

/**
 * A strong ETag names one representation (RFC 9110 §8.8.3): the XML of a book
 * at version 3 is `"3-xml"`, its JSON `"3"`.
 */
function representationEtag(reply: FastifyReply, format: Exclude<Format, 'json'>): void {
  const etag = reply.getHeader('etag');
  if (typeof etag === 'string' && /^"\d+"$/.test(etag)) {
    void reply.header('etag', `${etag.slice(0, -1)}-${format}"`);
  }
}
