import { Pool } from 'undici';
import { WebSocketClient } from '@bookshop/clients';

/** The workloads every target runs (docs/benchmarks.md). */
export const WORKLOADS = ['books.get', 'books.list', 'orders.place', 'mixed'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** What the runner knows of the seeded seeded. */
export interface SeededData {
  bookIds: string[];
  /** Cursors of consecutive pages of 20 (the first is undefined). */
  cursors: (string | undefined)[];
  /** Current ETags by book id, for the REST revalidation target. */
  etags: Map<string, string>;
  apiKey: string;
}

/** One operation, ready to call with a running counter; rejects when the service did not succeed. */
export type Op = (i: number) => Promise<void>;

/** A client of one target: a function per workload, over connections it owns. */
export interface Driver {
  ops: Partial<Record<Workload, Op>>;
  close(): Promise<void>;
}

/** A protocol (or the baseline) under test: how to build a driver against a base URL. */
export interface Target {
  name: string;
  /** The service it runs on (the process whose CPU and memory are measured). */
  service:
    | 'baseline'
    | 'rest'
    | 'rest cached'
    | 'rest traced'
    | 'rest sampled'
    | 'rest untraced'
    | 'soap'
    | 'graphql'
    | 'jsonrpc'
    | 'websocket';
  /** Sends `If-None-Match` with the current ETags (the runner refreshes them before each run). */
  revalidates?: boolean;
  /**
   * The target whose throughput this one's is a ratio to (its claim's
   * reference): the two take turns in one group on every repeat (`runGroups`).
   */
  pairedWith?: string;
  /** The workloads it runs. */
  workloads: readonly Workload[];
  driver(url: string, seeded: SeededData, connections: number): Driver;
}

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;
const lines = (c: SeededData, i: number) =>
  [0, 1, 2].map((k) => ({ bookId: pick(c.bookIds, i * 3 + k), quantity: 1 }));
const distinct = (ids: string[]) => [...new Set(ids)];

/** `mixed`: eight reads by id, one page with authors, one order in every ten operations. */
function mixed(ops: Partial<Record<Workload, Op>>): Op {
  return (i) => {
    const slot = i % 10;
    const op = slot === 9 ? ops['orders.place'] : slot === 8 ? ops['books.list'] : ops['books.get'];
    return op!(i);
  };
}

class Http {
  readonly pool: Pool;
  constructor(url: string, connections: number) {
    this.pool = new Pool(url, { connections, pipelining: 1 });
  }

  async send(
    method: 'GET' | 'POST',
    path: string,
    expect: number,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<string> {
    const response = await this.pool.request({ method, path, headers, body });
    const text = await response.body.text();
    if (response.statusCode !== expect) {
      throw new Error(`${method} ${path}: ${response.statusCode} ${text.slice(0, 200)}`);
    }
    return text;
  }
}

const JSON_TYPE = { 'content-type': 'application/json' };

const rest = (revalidate: boolean): Target => ({
  name: revalidate ? 'rest 304' : 'rest',
  service: 'rest',
  revalidates: revalidate,
  workloads: revalidate ? ['books.get'] : WORKLOADS,
  driver(url, c, connections) {
    const http = new Http(url, connections);
    const auth = { authorization: `Bearer ${c.apiKey}` };
    const get: Op = async (i) => {
      const id = pick(c.bookIds, i);
      if (revalidate) {
        await http.send('GET', `/api/books/${id}`, 304, { 'if-none-match': c.etags.get(id)! });
      } else await http.send('GET', `/api/books/${id}`, 200);
    };
    const ops: Partial<Record<Workload, Op>> = { 'books.get': get };
    if (!revalidate) {
      // Without `include`: a page, then each distinct author, in parallel (`rest include` asks for both at once).
      ops['books.list'] = async (i) => {
        const cursor = pick(c.cursors, i);
        const page = JSON.parse(
          await http.send('GET', `/api/books?limit=20${cursor ? `&cursor=${cursor}` : ''}`, 200),
        ) as { items: { authorId: string }[] };
        await Promise.all(
          distinct(page.items.map((b) => b.authorId)).map((id) =>
            http.send('GET', `/api/authors/${id}`, 200),
          ),
        );
      };
      ops['orders.place'] = async (i) => {
        await http.send(
          'POST',
          '/api/orders',
          201,
          { ...JSON_TYPE, ...auth },
          JSON.stringify({ lines: lines(c, i) }),
        );
      };
      ops.mixed = mixed(ops);
    }
    return { ops, close: () => http.pool.close() };
  },
});

const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';

const soap: Target = {
  name: 'soap',
  service: 'soap',
  workloads: WORKLOADS,
  driver(url, c, connections) {
    const http = new Http(url, connections);
    const envelope = (body: string, key?: string) =>
      `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${SOAP_ENV}" xmlns:b="urn:bookshop:v1">` +
      (key
        ? `<s:Header><w:Security xmlns:w="${WSSE}" s:mustUnderstand="1"><w:UsernameToken><w:Username>bench</w:Username><w:Password>${key}</w:Password></w:UsernameToken></w:Security></s:Header>`
        : '') +
      `<s:Body>${body}</s:Body></s:Envelope>`;
    const call = (operation: string, body: string, key?: string) =>
      http.send(
        'POST',
        '/soap',
        200,
        { 'content-type': 'text/xml; charset=utf-8', soapaction: `"urn:bookshop:v1#${operation}"` },
        envelope(body, key),
      );
    const ops: Partial<Record<Workload, Op>> = {
      'books.get': async (i) => {
        await call('GetBook', `<b:GetBook><b:id>${pick(c.bookIds, i)}</b:id></b:GetBook>`);
      },
      'books.list': async (i) => {
        const cursor = pick(c.cursors, i);
        const xml = await call(
          'ListBooks',
          `<b:ListBooks><b:limit>20</b:limit>${cursor ? `<b:cursor>${cursor}</b:cursor>` : ''}</b:ListBooks>`,
        );
        const authorIds = [...xml.matchAll(/<(?:\w+:)?authorId>([^<]+)</g)].map((m) => m[1]!);
        await Promise.all(
          distinct(authorIds).map((id) =>
            call('GetAuthor', `<b:GetAuthor><b:id>${id}</b:id></b:GetAuthor>`),
          ),
        );
      },
      'orders.place': async (i) => {
        const body = lines(c, i)
          .map((l) => `<b:line><b:bookId>${l.bookId}</b:bookId><b:quantity>1</b:quantity></b:line>`)
          .join('');
        await call('PlaceOrder', `<b:PlaceOrder>${body}</b:PlaceOrder>`, c.apiKey);
      },
    };
    ops.mixed = mixed(ops);
    return { ops, close: () => http.pool.close() };
  },
};

const BOOK_FIELDS = 'id title authorId isbn priceCents stock version createdAt updatedAt';

const graphql: Target = {
  name: 'graphql',
  service: 'graphql',
  workloads: WORKLOADS,
  driver(url, c, connections) {
    const http = new Http(url, connections);
    const query = async (text: string, variables: unknown, key?: string) => {
      const body = await http.send(
        'POST',
        '/graphql',
        200,
        { ...JSON_TYPE, ...(key ? { authorization: `Bearer ${key}` } : {}) },
        JSON.stringify({ query: text, variables }),
      );
      if (body.includes('"errors"')) throw new Error(body.slice(0, 200));
    };
    const ops: Partial<Record<Workload, Op>> = {
      'books.get': (i) =>
        query(`query ($id: ID!) { book(id: $id) { ${BOOK_FIELDS} } }`, { id: pick(c.bookIds, i) }),
      'books.list': (i) =>
        query(
          `query ($after: String) { books(first: 20, after: $after) { edges { node { ${BOOK_FIELDS} author { id name bio createdAt } } } pageInfo { hasNextPage endCursor } } }`,
          { after: pick(c.cursors, i) ?? null },
        ),
      'orders.place': (i) =>
        query(
          'mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id status lines { bookId quantity unitPriceCents } totalCents createdAt } }',
          { input: { lines: lines(c, i) } },
          c.apiKey,
        ),
    };
    ops.mixed = mixed(ops);
    return { ops, close: () => http.pool.close() };
  },
};

const jsonrpc: Target = {
  name: 'jsonrpc',
  service: 'jsonrpc',
  workloads: WORKLOADS,
  driver(url, c, connections) {
    const http = new Http(url, connections);
    const post = async (payload: unknown, key?: string): Promise<unknown> => {
      const body = await http.send(
        'POST',
        '/rpc',
        200,
        { ...JSON_TYPE, ...(key ? { authorization: `Bearer ${key}` } : {}) },
        JSON.stringify(payload),
      );
      if (body.includes('"error"')) throw new Error(body.slice(0, 200));
      return JSON.parse(body);
    };
    const call = (method: string, params: unknown, key?: string) =>
      post({ jsonrpc: '2.0', id: 1, method, params }, key);
    const ops: Partial<Record<Workload, Op>> = {
      'books.get': async (i) => {
        await call('books.get', { id: pick(c.bookIds, i) });
      },
      // A page, then one batch (§6) with each distinct author.
      'books.list': async (i) => {
        const cursor = pick(c.cursors, i);
        const { result } = (await call('books.list', { limit: 20, cursor })) as {
          result: { items: { authorId: string }[] };
        };
        await post(
          distinct(result.items.map((b) => b.authorId)).map((id, n) => ({
            jsonrpc: '2.0',
            id: n,
            method: 'authors.get',
            params: { id },
          })),
        );
      },
      'orders.place': async (i) => {
        await call('orders.place', { lines: lines(c, i) }, c.apiKey);
      },
    };
    ops.mixed = mixed(ops);
    return { ops, close: () => http.pool.close() };
  },
};

/** The project's WebSocket client, one connection each, spread over the workers' operations. */
const websocket: Target = {
  name: 'websocket',
  service: 'websocket',
  workloads: WORKLOADS,
  driver(url, c, connections) {
    const clients = Array.from(
      { length: connections },
      () => new WebSocketClient({ url, apiKey: c.apiKey }),
    );
    const on = (i: number) => clients[i % connections]!;
    const ops: Partial<Record<Workload, Op>> = {
      'books.get': async (i) => {
        await on(i).getBook({ id: pick(c.bookIds, i) });
      },
      'books.list': async (i) => {
        const client = on(i);
        const page = await client.listBooks({ limit: 20, cursor: pick(c.cursors, i) });
        await Promise.all(
          distinct(page.items.map((b) => b.authorId)).map((id) => client.getAuthor({ id })),
        );
      },
      'orders.place': async (i) => {
        await on(i).placeOrder({ lines: lines(c, i) });
      },
    };
    ops.mixed = mixed(ops);
    return {
      ops,
      close: async () => {
        await Promise.all(clients.map((client) => client.close()));
      },
    };
  },
};

const baseline: Target = {
  name: 'baseline',
  service: 'baseline',
  workloads: WORKLOADS,
  driver(url, c, connections) {
    const http = new Http(url, connections);
    const ops: Partial<Record<Workload, Op>> = {
      'books.get': async (i) => {
        await http.send('GET', `/books/${pick(c.bookIds, i)}`, 200);
      },
      'books.list': async (i) => {
        const cursor = pick(c.cursors, i);
        await http.send(
          'GET',
          `/books-with-authors?limit=20${cursor ? `&cursor=${cursor}` : ''}`,
          200,
        );
      },
      'orders.place': async (i) => {
        await http.send('POST', '/orders', 200, JSON_TYPE, JSON.stringify({ lines: lines(c, i) }));
      },
    };
    ops.mixed = mixed(ops);
    return { ops, close: () => http.pool.close() };
  },
};

/**
 * REST's compound document: the page and its authors in one request
 * (`include=author`), against `rest`'s page and then one request per author.
 */
const restInclude: Target = {
  name: 'rest include',
  service: 'rest',
  workloads: ['books.list'],
  driver(url, c, connections) {
    const http = new Http(url, connections);
    return {
      ops: {
        'books.list': async (i) => {
          const cursor = pick(c.cursors, i);
          const page = JSON.parse(
            await http.send(
              'GET',
              `/api/books?limit=20&include=author${cursor ? `&cursor=${cursor}` : ''}`,
              200,
            ),
          ) as { items: unknown[]; included: { authors: unknown[] } };
          if (page.items.length !== 20 || page.included.authors.length !== 5) {
            throw new Error(
              `include=author: ${page.items.length} books, ${page.included.authors.length} authors`,
            );
          }
        },
      },
      close: () => http.pool.close(),
    };
  },
};

/**
 * The REST build with tracing off, on an instance of its own that runs
 * `books.get` only, like the traced ones: the reference of their ratio. Plain
 * `rest` serves four targets and so is never idle for long, while a traced
 * instance sits idle through every other run; a service returns from idle
 * slower than from load, so a ratio to `rest` measures the two histories as
 * much as tracing. This one has the traced instances' history.
 */
const restUntraced: Target = {
  ...rest(false),
  name: 'rest untraced',
  service: 'rest untraced',
  workloads: ['books.get'],
};

/**
 * REST with tracing on: every request traced (the SDK's default sampler) and
 * its spans exported over OTLP to a local sink, against the same build with
 * tracing off (`rest untraced`).
 */
const restTraced: Target = {
  ...restUntraced,
  name: 'rest traced',
  service: 'rest traced',
  pairedWith: 'rest untraced',
};

/**
 * REST with tracing on as a production deployment runs it: one trace in ten
 * kept (`parentbased_traceidratio`, 0.1), exported the same way.
 */
const restSampled: Target = {
  ...restTraced,
  name: 'rest sampled',
  service: 'rest sampled',
};

/** A REST target that runs `books.get` alone, sending `headers`. */
const restGet = (
  name: string,
  service: Target['service'],
  headers: Record<string, string>,
): Target => ({
  name,
  service,
  workloads: ['books.get'],
  driver(url, c, connections) {
    const http = new Http(url, connections);
    return {
      ops: {
        'books.get': async (i) => {
          await http.send('GET', `/api/books/${pick(c.bookIds, i)}`, 200, headers);
        },
      },
      close: () => http.pool.close(),
    };
  },
});

/**
 * `books.get` from the same REST service with `Accept: application/xml`: the
 * format's cost apart from the protocol's (against `rest`, its JSON, and
 * `soap`, XML in an envelope).
 */
const restXml = restGet('rest xml', 'rest', { accept: 'application/xml' });

/**
 * `books.get` through an HTTP cache: the gateway's nginx in front of a REST
 * service that lets reads be reused for a minute (REST_CACHE_MAX_AGE_SECONDS),
 * so after the first read of each book the cache answers. The CPU measured is
 * the service's, which the hits never reach; nginx's own is not in it.
 */
const restViaCache = restGet('rest via cache', 'rest cached', {});

/**
 * Every target, the baseline first. `rest 304`, `rest xml`, `rest via cache`,
 * `rest untraced`, `rest traced` and `rest sampled` run `books.get` only;
 * `rest include` runs `books.list` only.
 */
export const TARGETS: Target[] = [
  baseline,
  rest(false),
  rest(true),
  restXml,
  restViaCache,
  restInclude,
  restUntraced,
  restTraced,
  restSampled,
  soap,
  graphql,
  jsonrpc,
  websocket,
];
