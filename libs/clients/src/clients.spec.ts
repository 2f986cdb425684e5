import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { BookshopError, ProtocolError } from './bookshop-client';
import { GraphqlClient } from './graphql.client';
import { JsonRpcClient } from './jsonrpc.client';
import { RestClient } from './rest.client';
import { fromFault } from './soap.client';
import { WebSocketClient } from './websocket.client';

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A one-route HTTP server that answers every request with `reply` and records what it got. */
async function serve(
  reply: (seen: Seen) => { status: number; type?: string; body?: unknown },
): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const entry = { method: request.method, url: request.url, headers: request.headers, body };
      seen.push(entry);
      const answer = reply(entry);
      response.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json' });
      const raw = typeof answer.body === 'string' && answer.type?.includes('xml');
      response.end(
        answer.body === undefined ? undefined : raw ? answer.body : JSON.stringify(answer.body),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, server };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('resolved');
}

/** The part of an OpenAPI document the XML client types replies by. */
const OPENAPI = {
  components: {
    schemas: {
      Order: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          lines: {
            type: 'array',
            items: {
              type: 'object',
              properties: { quantity: { type: 'integer' }, unitPriceCents: { type: 'integer' } },
            },
          },
          totalCents: { type: 'integer' },
        },
      },
      Problem: {
        type: 'object',
        properties: {
          errors: {
            type: 'array',
            items: {
              type: 'object',
              properties: { requested: { type: 'integer' }, available: { type: 'integer' } },
            },
          },
        },
      },
    },
  },
};

/** A reply, or the OpenAPI document when that is what was asked for. */
const orDocument =
  (reply: { status: number; type?: string; body?: unknown }) =>
  (seen: Seen): { status: number; type?: string; body?: unknown } =>
    seen.url === '/api/openapi.json' ? { status: 200, body: OPENAPI } : reply;

describe('RestClient', () => {
  it('in XML, sends the body as XML and reads the reply by the OpenAPI document’s schema', async () => {
    const order =
      '<?xml version="1.0" encoding="UTF-8"?>\n<order xmlns="urn:bookshop:rest"><id>o1</id><status>PLACED</status>' +
      '<lines><i><bookId>b1</bookId><quantity>2</quantity><unitPriceCents>999</unitPriceCents></i></lines>' +
      '<totalCents>1998</totalCents><createdAt>2024-01-01T00:00:00.000Z</createdAt></order>';
    const { url, seen, server } = await serve(
      orDocument({ status: 201, type: 'application/xml; charset=utf-8', body: order }),
    );
    servers.push(server);
    const placed = await new RestClient({ url, apiKey: 'k', format: 'xml' }).placeOrder(
      { lines: [{ bookId: 'b1', quantity: 2 }] },
      { idempotencyKey: 'once' },
    );
    expect(placed).toEqual({
      id: 'o1',
      status: 'PLACED',
      lines: [{ bookId: 'b1', quantity: 2, unitPriceCents: 999 }],
      totalCents: 1998,
      createdAt: '2024-01-01T00:00:00.000Z',
    });
    const sent = seen.find((request) => request.url === '/api/orders');
    expect(seen.map((request) => request.url)).toEqual(['/api/orders', '/api/openapi.json']);
    expect(sent?.headers['content-type']).toBe('application/xml');
    expect(sent?.headers['accept']).toBe('application/xml, application/problem+xml');
    expect(sent?.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<order xmlns="urn:bookshop:rest"><lines><i><bookId>b1</bookId><quantity>2</quantity></i></lines></order>',
    );
  });

  it('in XML, reads an application/problem+xml as a BookshopError with typed details', async () => {
    const problem =
      '<problem xmlns="urn:ietf:rfc:7807"><status>409</status><detail>Not enough stock</detail>' +
      '<code>OUT_OF_STOCK</code><errors><i><bookId>b1</bookId><requested>5</requested><available>1</available></i></errors></problem>';
    const { url, server } = await serve(
      orDocument({ status: 409, type: 'application/problem+xml', body: problem }),
    );
    servers.push(server);
    const error = await rejection(
      new RestClient({ url, apiKey: 'k', format: 'xml' }).placeOrder({
        lines: [{ bookId: 'b1', quantity: 5 }],
      }),
    );
    expect(error).toBeInstanceOf(BookshopError);
    expect(error).toMatchObject({
      code: 'OUT_OF_STOCK',
      message: 'Not enough stock',
      details: [{ bookId: 'b1', requested: 5, available: 1 }],
    });
  });

  it('sends expectedVersion as If-Match and the rest as the PATCH body', async () => {
    const { url, seen, server } = await serve(() => ({ status: 200, body: { id: 'b' } }));
    servers.push(server);
    await new RestClient({ url, apiKey: 'k' }).updateBook({
      id: 'a b',
      title: 'T',
      expectedVersion: 3,
    });
    expect(seen[0]).toMatchObject({
      method: 'PATCH',
      url: '/api/books/a%20b',
      headers: { 'if-match': '"3"', authorization: 'Bearer k' },
      body: '{"title":"T"}',
    });
  });

  it('reads a problem document as a BookshopError with its code and errors', async () => {
    const { url, server } = await serve(() => ({
      status: 422,
      type: 'application/problem+json',
      body: {
        code: 'VALIDATION_FAILED',
        detail: 'The input is not valid',
        errors: [{ path: 'name', message: 'required' }],
      },
    }));
    servers.push(server);
    expect(await rejection(new RestClient({ url }).createAuthor({ name: '' }))).toEqual(
      new BookshopError('VALIDATION_FAILED', 'The input is not valid', [
        { path: 'name', message: 'required' },
      ]),
    );
  });

  it('answers a 204 delete with the id, and puts list filters in the query', async () => {
    const { url, seen, server } = await serve(({ method }) =>
      method === 'DELETE'
        ? { status: 204 }
        : { status: 200, body: { items: [], nextCursor: null } },
    );
    servers.push(server);
    const client = new RestClient({ url });
    expect(await client.deleteBook({ id: 'x' })).toEqual({ id: 'x' });
    await client.listBooks({ q: 'a&b', limit: 2 });
    expect(seen[1]?.url).toBe('/api/books?q=a%26b&limit=2');
  });

  it('asks for a page with its authors by include=author', async () => {
    const page = { items: [], nextCursor: null, included: { authors: [] } };
    const { url, seen, server } = await serve(() => ({ status: 200, body: page }));
    servers.push(server);
    const client = new RestClient({ url });
    expect(await client.listBooksWithAuthors({ authorId: 'a', limit: 5 })).toEqual(page);
    expect(seen[0]?.url).toBe('/api/books?authorId=a&limit=5&include=author');
  });
});

describe('GraphqlClient', () => {
  it('reports a null query result as NOT_FOUND', async () => {
    const { url, server } = await serve(() => ({ status: 200, body: { data: { book: null } } }));
    servers.push(server);
    const error = await rejection(new GraphqlClient({ url }).getBook({ id: 'x' }));
    expect(error).toBeInstanceOf(BookshopError);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('maps BAD_USER_INPUT back to VALIDATION_FAILED with its details', async () => {
    const details = [{ path: 'lines[0].quantity', message: 'too small' }];
    const { url, server } = await serve(() => ({
      status: 200,
      body: {
        data: null,
        errors: [{ message: 'invalid', extensions: { code: 'BAD_USER_INPUT', details } }],
      },
    }));
    servers.push(server);
    expect(await rejection(new GraphqlClient({ url }).placeOrder({ lines: [] }))).toEqual(
      new BookshopError('VALIDATION_FAILED', 'invalid', details),
    );
  });

  it('turns a request-level 413 without a code into PAYLOAD_TOO_LARGE', async () => {
    const { url, server } = await serve(() => ({
      status: 413,
      body: { errors: [{ message: 'too large' }] },
    }));
    servers.push(server);
    expect(await rejection(new GraphqlClient({ url }).getAuthor({ id: 'x' }))).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('turns a connection into a page', async () => {
    const { url, server } = await serve(() => ({
      status: 200,
      body: {
        data: {
          authors: {
            edges: [{ node: { id: '1' } }],
            pageInfo: { hasNextPage: true, endCursor: 'c1' },
          },
        },
      },
    }));
    servers.push(server);
    expect(await new GraphqlClient({ url }).listAuthors({ limit: 1 })).toEqual({
      items: [{ id: '1' }],
      nextCursor: 'c1',
    });
  });
});

describe('JsonRpcClient', () => {
  it('takes the contract code from error.data, else from the standard code', async () => {
    let data: unknown = { code: 'CONFLICT', details: [{ path: 'isbn', message: 'taken' }] };
    const { url, server } = await serve(({ body }) => ({
      status: 200,
      body: {
        jsonrpc: '2.0',
        id: (JSON.parse(body) as { id: number }).id,
        error: { code: -32009, message: 'Conflict', data },
      },
    }));
    servers.push(server);
    const client = new JsonRpcClient({ url });
    expect(await rejection(client.createBook({} as never))).toEqual(
      new BookshopError('CONFLICT', 'Conflict', [{ path: 'isbn', message: 'taken' }]),
    );
    data = undefined;
    expect(await rejection(client.getBook({ id: 'x' }))).toMatchObject({ code: 'INTERNAL' });
  });

  it('refuses a response to another call', async () => {
    const { url, server } = await serve(() => ({
      status: 200,
      body: { jsonrpc: '2.0', id: 999, result: {} },
    }));
    servers.push(server);
    expect(await rejection(new JsonRpcClient({ url }).getBook({ id: 'x' }))).toBeInstanceOf(
      ProtocolError,
    );
  });
});

describe('fromFault (SOAP)', () => {
  const fault = (detail?: unknown) => ({
    root: { Envelope: { Body: { Fault: { faultstring: 'Bad', ...(detail ? { detail } : {}) } } } },
  });

  it('reads one issue element as a list of one', () => {
    expect(
      fromFault(
        fault({
          BookshopFault: {
            code: 'VALIDATION_FAILED',
            message: 'invalid',
            issue: { path: 'name', message: 'required' },
          },
        }),
      ),
    ).toEqual(
      new BookshopError('VALIDATION_FAILED', 'invalid', [{ path: 'name', message: 'required' }]),
    );
  });

  it('reads shortages with numbers', () => {
    expect(
      fromFault(
        fault({
          BookshopFault: {
            code: 'OUT_OF_STOCK',
            message: 'short',
            shortage: [{ bookId: 'b', requested: '2', available: 1 }],
          },
        }),
      ),
    ).toEqual(
      new BookshopError('OUT_OF_STOCK', 'short', [{ bookId: 'b', requested: 2, available: 1 }]),
    );
  });

  it('takes a fault without a BookshopFault (VersionMismatch) for BAD_REQUEST, and passes other errors', () => {
    expect(fromFault(fault())).toMatchObject({ code: 'BAD_REQUEST', message: 'Bad' });
    const network = new Error('ECONNREFUSED');
    expect(fromFault(network)).toBe(network);
  });
});

describe('WebSocketClient', () => {
  it('rejects a call whose frame closed the connection with 1009 as PAYLOAD_TOO_LARGE', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 64 });
    await new Promise((resolve) => wss.once('listening', resolve));
    // ws closes with 1009 and reports the oversized frame as an error on the server's socket.
    wss.on('connection', (socket) => socket.on('error', () => undefined));
    const { port } = wss.address() as AddressInfo;
    const client = new WebSocketClient({ url: `http://127.0.0.1:${port}` });
    try {
      const error = await rejection(client.createAuthor({ name: 'n'.repeat(100) }));
      expect(error).toBeInstanceOf(BookshopError);
      expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    } finally {
      await client.close();
      await new Promise((resolve) => wss.close(resolve));
    }
  });

  it('matches replies to requests by id, whatever their order', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
    const held: { id: string; params: unknown }[] = [];
    wss.on('connection', (socket) =>
      socket.on('message', (data: Buffer) => {
        held.push(JSON.parse(data.toString()) as { id: string; params: unknown });
        if (held.length === 2) {
          for (const frame of held.reverse()) {
            socket.send(JSON.stringify({ id: frame.id, result: frame.params }));
          }
        }
      }),
    );
    const { port } = wss.address() as AddressInfo;
    const client = new WebSocketClient({ url: `http://127.0.0.1:${port}` });
    try {
      const [first, second] = await Promise.all([
        client.getBook({ id: 'first' }),
        client.getBook({ id: 'second' }),
      ]);
      expect([first, second]).toEqual([{ id: 'first' }, { id: 'second' }]);
    } finally {
      await client.close();
      await new Promise((resolve) => wss.close(resolve));
    }
  });
});
