import { connect as connectTcp } from 'node:net';
import { connect, PROTOCOLS, type Protocol } from '@bookshop/clients';
import {
  freshTestDatabase,
  type RunningService,
  startService,
  uniqueIsbn,
} from '@bookshop/testing';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { KEY, MiB, report, sleep, watchService, when } from './support';

/**
 * One hostile client at a time against a service of its own, on the run's
 * Postgres container with a catalogue of 100 books: the service refuses what
 * it must, keeps its memory within +256 MiB of idle, and `/health/live`
 * answers within 1 s.
 */
const BOUND = 256 * MiB;

let databaseUrl: string;
const running: RunningService[] = [];
const watches: ReturnType<typeof watchService>[] = [];

async function serve(protocol: Protocol, env: Record<string, string> = {}) {
  const service = await startService(protocol, {
    env: { API_KEYS: KEY, DATABASE_URL: databaseUrl, ...env },
    keepLogs: false,
  });
  running.push(service);
  return service;
}

function watch(service: RunningService) {
  const watcher = watchService(service);
  watches.push(watcher);
  return watcher;
}

beforeAll(async () => {
  databaseUrl = await freshTestDatabase('hostile');
  const seeding = await serve('rest');
  const writer = await connect('rest', { url: seeding.url, apiKey: KEY });
  const author = await writer.createAuthor({ name: 'Prolific' });
  for (let i = 0; i < 100; i++) {
    await writer.createBook({
      title: `Volume ${i}`,
      authorId: author.id,
      isbn: uniqueIsbn(),
      priceCents: 100,
      stock: 10,
    });
  }
  await writer.close();
  await Promise.all(running.splice(0).map((service) => service.stop()));
}, 120_000);

afterEach(async () => {
  await Promise.all(watches.splice(0).map((watcher) => watcher.stop()));
  await Promise.all(running.splice(0).map((service) => service.stop()));
});

/** Writes `requests` down one TCP connection and never reads a byte of the replies. */
function neverReading(service: RunningService, requests: string) {
  const { hostname, port } = new URL(service.url);
  const socket = connectTcp({ host: hostname, port: Number(port) });
  socket.pause();
  socket.on('error', () => undefined);
  socket.write(requests);
  return socket;
}

describe('hostile clients', () => {
  it('graphql-ws is held to the HTTP limits: introspection in production, depth and a fan-out', async () => {
    const service = await serve('graphql', { NODE_ENV: 'production' });
    const watcher = watch(service);
    const client = createClient({
      url: `${service.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const codesOf = (query: string) =>
      new Promise<string[]>((resolve) => {
        let codes: string[] = [];
        client.subscribe(
          { query },
          {
            next: (result) => {
              codes = (result.errors ?? []).map((e) => String(e.extensions?.['code']));
            },
            error: (errors) =>
              resolve(
                (Array.isArray(errors) ? errors : [errors]).map((e) =>
                  String((e as { extensions?: { code?: unknown } }).extensions?.code),
                ),
              ),
            complete: () => resolve(codes),
          },
        );
      });
    const deep = `{ books { edges { node { ${'author { books { edges { node { '.repeat(8)}id${' } } } }'.repeat(8)} } } } }`;
    const fanOut =
      '{ books(first: 100) { edges { node { author { books(first: 100) { edges { node { author { books(first: 100) { edges { node { id title } } } } } } } } } } } }';
    try {
      const introspection = await codesOf('{ __schema { types { name } } }');
      expect(new Set(introspection)).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
      expect(await codesOf(deep)).toContain('GRAPHQL_VALIDATION_FAILED');
      expect(await codesOf(fanOut)).toContain('GRAPHQL_VALIDATION_FAILED');
      const aliases = `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: books { edges { cursor } }`).join(' ')} }`;
      expect(await codesOf(aliases)).toContain('GRAPHQL_VALIDATION_FAILED');
      // The same documents over HTTP are refused the same way.
      const response = await fetch(`${service.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: fanOut }),
      });
      expect(response.status).toBe(400);
    } finally {
      await client.dispose();
    }
    const { idle, growth, slowestLive } = await watcher.stop();
    report('graphql-ws limits', {
      idleMiB: idle / MiB,
      growthMiB: growth / MiB,
      slowestLiveMs: slowestLive,
    });
    expect(growth).toBeLessThan(BOUND);
    expect(slowestLive).toBeLessThan(1000);
  });

  it('a GraphQL subscription over HTTP is a client error, 400 BAD_REQUEST', async () => {
    const service = await serve('graphql');
    const response = await fetch(`${service.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'subscription { events(topics: ["books"]) { seq } }' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      errors: [{ extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('WebSocket: 20,000 requests whose replies are never read close the connection (1008), memory bounded', async () => {
    const service = await serve('websocket', { RATE_LIMIT_READS: '0' });
    const watcher = watch(service);
    const socket = new WebSocket(`${service.url.replace('http', 'ws')}/ws`);
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.pause();
    for (let id = 0; id < 20_000; id++) {
      socket.send(JSON.stringify({ id, op: 'books.list', params: { limit: 100 } }));
    }
    await sleep(8000);
    const { idle, growth, slowestLive } = await watcher.stop();
    report('websocket never-reading', {
      idleMiB: idle / MiB,
      growthMiB: growth / MiB,
      slowestLiveMs: slowestLive,
    });
    socket.resume();
    expect(await closed).toBe(1008);
    expect(growth).toBeLessThan(BOUND);
    expect(slowestLive).toBeLessThan(1000);
  });

  /** Sends `requests` down one connection that never reads, for 8 s, and holds the service to the bounds. */
  async function expectBoundedUnderNeverReading(
    protocol: Protocol,
    what: string,
    requests: string,
  ) {
    const service = await serve(protocol, { RATE_LIMIT_READS: '0' });
    const watcher = watch(service);
    const socket = neverReading(service, requests);
    await sleep(8000);
    socket.destroy();
    const { idle, growth, slowestLive } = await watcher.stop();
    report(what, { idleMiB: idle / MiB, growthMiB: growth / MiB, slowestLiveMs: slowestLive });
    expect(growth).toBeLessThan(BOUND);
    expect(slowestLive).toBeLessThan(1000);
  }

  it('REST: 20,000 pipelined GETs never read stay bounded', async () => {
    await expectBoundedUnderNeverReading(
      'rest',
      'rest pipelined never-reading',
      'GET /api/books?limit=100 HTTP/1.1\r\nHost: localhost\r\n\r\n'.repeat(20_000),
    );
  });

  it('JSON-RPC: 1.5 MiB of pipelined batches never read stay bounded', async () => {
    const batch = JSON.stringify(
      Array.from({ length: 100 }, (_, id) => ({
        jsonrpc: '2.0',
        id,
        method: 'books.list',
        params: { limit: 100 },
      })),
    );
    const request = `POST /rpc HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(batch)}\r\n\r\n${batch}`;
    await expectBoundedUnderNeverReading(
      'jsonrpc',
      'jsonrpc pipelined batches',
      request.repeat(Math.ceil((1.5 * MiB) / request.length)),
    );
  });

  it('WebSocket: a write sent at once after `auth` is handled after it, 50 times out of 50', async () => {
    const service = await serve('websocket');
    const url = `${service.url.replace('http', 'ws')}/ws`;
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async (_, attempt) => {
        const socket = new WebSocket(url);
        await new Promise((resolve) => socket.once('open', resolve));
        const replies: Record<string, { result?: unknown; error?: { code: string } }> = {};
        socket.on('message', (data: Buffer) => {
          const reply = JSON.parse(data.toString()) as {
            id: string;
            result?: unknown;
            error?: { code: string };
          };
          replies[reply.id] = reply;
        });
        // Both frames in one tick: they leave in one TCP segment.
        socket.send(JSON.stringify({ id: 'a', op: 'auth', params: { token: KEY } }));
        socket.send(
          JSON.stringify({ id: 'w', op: 'authors.create', params: { name: `Author ${attempt}` } }),
        );
        await when(() => replies['w'] !== undefined, 'the write was answered', 5000, 10);
        socket.close();
        return replies['w']?.error?.code ?? 'ok';
      }),
    );
    expect(outcomes).toEqual(Array.from({ length: 50 }, () => 'ok'));
  });
});

describe('caps', () => {
  /** Opens a raw graphql-ws connection and acknowledges it. */
  async function graphqlWs(service: RunningService) {
    const socket = new WebSocket(
      `${service.url.replace('http', 'ws')}/graphql`,
      'graphql-transport-ws',
    );
    const messages: { type: string; id?: string; payload?: unknown }[] = [];
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as never));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await when(() => messages.some((m) => m.type === 'connection_ack'), 'graphql-ws ack', 5000, 10);
    return { socket, messages, closed };
  }

  it('graphql-ws: a frame over 1 MiB closes the connection with 1009', async () => {
    const service = await serve('graphql');
    const { socket, closed } = await graphqlWs(service);
    socket.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: `{ books(filter: { q: "${'x'.repeat(MiB)}" }) { edges { cursor } } }` },
      }),
    );
    expect(await closed).toBe(1009);
  });

  it('graphql-ws: operations past the per-connection cap are RATE_LIMITED; connections past the instance cap are closed with 1013', async () => {
    const service = await serve('graphql', {
      GRAPHQL_WS_MAX_OPERATIONS: '2',
      GRAPHQL_WS_MAX_CONNECTIONS: '1',
    });
    const { socket, messages } = await graphqlWs(service);
    for (const id of ['1', '2', '3']) {
      socket.send(
        JSON.stringify({
          id,
          type: 'subscribe',
          payload: { query: 'subscription { events(topics: ["books"]) { seq } }' },
        }),
      );
    }
    await when(
      () => messages.some((m) => m.id === '3'),
      'the third operation was answered',
      5000,
      10,
    );
    expect(messages.find((m) => m.id === '3')).toMatchObject({
      type: 'error',
      payload: [{ extensions: { code: 'RATE_LIMITED' } }],
    });
    const second = new WebSocket(
      `${service.url.replace('http', 'ws')}/graphql`,
      'graphql-transport-ws',
    );
    const secondClosed = new Promise<number>((resolve) =>
      second.once('close', (code) => resolve(code)),
    );
    await new Promise((resolve) => second.once('open', resolve));
    second.send(JSON.stringify({ type: 'connection_init' }));
    expect(await secondClosed).toBe(1013);
    socket.close();
  });

  it('WebSocket: connections past the instance cap are closed with 1013; topics past the cap are RATE_LIMITED', async () => {
    const service = await serve('websocket', { WS_MAX_CONNECTIONS: '1', WS_MAX_TOPICS: '2' });
    const url = `${service.url.replace('http', 'ws')}/ws`;
    const first = new WebSocket(url);
    const replies: { id?: string; error?: { code: string } }[] = [];
    first.on('message', (data: Buffer) => replies.push(JSON.parse(data.toString()) as never));
    await new Promise((resolve) => first.once('open', resolve));
    first.send(
      JSON.stringify({ id: 's1', op: 'subscribe', params: { topics: ['books', 'orders'] } }),
    );
    first.send(JSON.stringify({ id: 's2', op: 'subscribe', params: { topics: ['stock'] } }));
    // The refusal needs no database read, so it may overtake the first reply: wait for both.
    await when(
      () => replies.some((r) => r.id === 's1') && replies.some((r) => r.id === 's2'),
      'both subscribes were answered',
      5000,
      10,
    );
    expect(replies.find((r) => r.id === 's1')).not.toHaveProperty('error');
    expect(replies.find((r) => r.id === 's2')?.error?.code).toBe('RATE_LIMITED');

    const second = new WebSocket(url);
    expect(
      await new Promise<number>((resolve) => second.once('close', (code) => resolve(code))),
    ).toBe(1013);
    first.close();
  });
});

describe('rate limits', () => {
  it.each(PROTOCOLS)(
    '%s: reads past the limit per address, and failed authentication past its tighter limit, are RATE_LIMITED',
    async (protocol) => {
      const service = await serve(protocol, {
        RATE_LIMIT_READS: '5',
        RATE_LIMIT_AUTH_FAILURES: '3',
      });
      const [reader, intruder, writer] = await Promise.all([
        connect(protocol, { url: service.url }),
        connect(protocol, { url: service.url, apiKey: 'not-the-key' }),
        connect(protocol, { url: service.url, apiKey: KEY }),
      ]);
      const codeOf = async (call: Promise<unknown>) =>
        call.then(
          () => 'ok',
          (error: { code?: string }) => error.code ?? 'transport',
        );
      try {
        const reads = [];
        for (let i = 0; i < 6; i++) reads.push(await codeOf(reader.listAuthors({})));
        expect(reads).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'RATE_LIMITED']);
        const writes = [];
        for (let i = 0; i < 4; i++) writes.push(await codeOf(intruder.createAuthor({ name: 'X' })));
        expect(writes).toEqual([
          'UNAUTHENTICATED',
          'UNAUTHENTICATED',
          'UNAUTHENTICATED',
          'RATE_LIMITED',
        ]);
        // From that address even the right key is not tried until the window passes.
        expect(await codeOf(writer.createAuthor({ name: 'Y' }))).toBe('RATE_LIMITED');
      } finally {
        await Promise.all([reader.close(), intruder.close(), writer.close()]);
      }
    },
  );

  it('behind a trusted proxy (TRUST_PROXY) each forwarded caller has a limit of its own, over HTTP and WebSocket', async () => {
    // The test connects from loopback: as the gateway would, it is the trusted proxy here.
    const [rest, websocket] = await Promise.all([
      serve('rest', { RATE_LIMIT_READS: '2', TRUST_PROXY: 'loopback' }),
      serve('websocket', { RATE_LIMIT_READS: '2', TRUST_PROXY: 'loopback' }),
    ]);
    const restRead = async (caller: string) =>
      (await fetch(`${rest.url}/api/authors`, { headers: { 'x-forwarded-for': caller } })).status;
    expect([await restRead('203.0.113.1'), await restRead('203.0.113.1')]).toEqual([200, 200]);
    expect(await restRead('203.0.113.1')).toBe(429);
    expect(await restRead('203.0.113.2')).toBe(200);

    const wsReads = async (caller: string, count: number) => {
      const socket = new WebSocket(`${websocket.url.replace('http', 'ws')}/ws`, {
        headers: { 'x-forwarded-for': caller },
      });
      const replies: { error?: { code: string } }[] = [];
      socket.on('message', (data) =>
        replies.push(JSON.parse((data as Buffer).toString('utf8')) as never),
      );
      await new Promise((resolve) => socket.once('open', resolve));
      for (let id = 1; id <= count; id++)
        socket.send(JSON.stringify({ id, op: 'authors.list', params: {} }));
      await when(() => replies.length === count, 'every read answered', 5000, 10);
      socket.close();
      // Frames of one connection run at once: which of them is refused is not fixed.
      return replies.map((reply) => reply.error?.code ?? 'ok').sort();
    };
    expect(await wsReads('203.0.113.1', 3)).toEqual(['RATE_LIMITED', 'ok', 'ok']);
    expect(await wsReads('203.0.113.2', 1)).toEqual(['ok']);
  });

  it('trusts no forwarded address unless told to: a caller cannot pick its own limit', async () => {
    const rest = await serve('rest', { RATE_LIMIT_READS: '1' });
    const read = async (caller: string) =>
      (await fetch(`${rest.url}/api/authors`, { headers: { 'x-forwarded-for': caller } })).status;
    expect([await read('203.0.113.1'), await read('203.0.113.2')]).toEqual([200, 429]);
  });

  it('REST says when to retry (429 Retry-After) and how to authenticate (401 WWW-Authenticate)', async () => {
    const service = await serve('rest', { RATE_LIMIT_READS: '1' });
    const write = await fetch(`${service.url}/api/authors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"X"}',
    });
    expect(write.status).toBe(401);
    expect(write.headers.get('www-authenticate')).toBe('Bearer realm="bookshop"');
    expect((await fetch(`${service.url}/api/authors`)).status).toBe(200);
    const limited = await fetch(`${service.url}/api/authors`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
  });
});

describe('errors the HTTP layer raises, in each protocol’s shape', () => {
  /** What each protocol's error body says the code is. */
  const codeIn: Record<Protocol, (body: string) => string | undefined> = {
    rest: (body) => (JSON.parse(body) as { code?: string }).code,
    soap: (body) => /<b:code>([A-Z_]+)<\/b:code>/.exec(body)?.[1],
    graphql: (body) =>
      (JSON.parse(body) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions
        .code,
    jsonrpc: (body) => (JSON.parse(body) as { error: { data: { code: string } } }).error.data.code,
    websocket: (body) => (JSON.parse(body) as { error: { code: string } }).error.code,
  };

  /** Sends raw bytes and resolves with the status line's code and the body. */
  function raw(
    service: RunningService,
    request: string,
  ): Promise<{ status: number; body: string }> {
    const { hostname, port } = new URL(service.url);
    return new Promise((resolve, reject) => {
      const socket = connectTcp({ host: hostname, port: Number(port) });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('error', reject);
      socket.on('close', () => {
        const [head = '', body = ''] = text.split('\r\n\r\n');
        resolve({ status: Number(head.split(' ')[1]), body });
      });
      socket.end(request);
    });
  }

  it.each(PROTOCOLS)(
    '%s: headers over 16 KiB (431) and a malformed %%-escape (400) are BAD_REQUEST in the protocol’s shape',
    async (protocol) => {
      const service = await serve(protocol);
      const big = await raw(
        service,
        `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
      );
      expect(big.status).toBe(protocol === 'soap' ? 500 : 431);
      expect(codeIn[protocol](big.body)).toBe('BAD_REQUEST');
      const escape = await raw(
        service,
        'GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      );
      expect(escape.status).toBe(400);
      expect(codeIn[protocol](escape.body)).toBe('BAD_REQUEST');
    },
  );

  it('REST: an id of any realistic length is NOT_FOUND; a path segment over 512 characters is 414 BAD_REQUEST', async () => {
    const service = await serve('rest');
    const long = await fetch(`${service.url}/api/books/${'x'.repeat(300)}`);
    expect(long.status).toBe(404);
    const tooLong = await fetch(`${service.url}/api/books/${'x'.repeat(600)}`);
    expect(tooLong.status).toBe(414);
    expect(await tooLong.json()).toMatchObject({ code: 'BAD_REQUEST', status: 414 });
  });
});
