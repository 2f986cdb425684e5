import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { DEFAULT_PORTS, demoAuthors, demoBooks } from '@bookshop/domain';
import { type RunningSystem, startSystem } from '@bookshop/testing';
import WebSocket from 'ws';

const OFFSET = 27_000;
const KEY = 'telemetry-key';
const BOOK = demoBooks[0]!;
const AUTHOR = demoAuthors[0]!;
const url = (protocol: keyof typeof DEFAULT_PORTS) =>
  `http://127.0.0.1:${DEFAULT_PORTS[protocol] + OFFSET}`;

/** A span as OTLP/JSON carries it, with its service and attributes flattened. */
interface ExportedSpan {
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** OTLP's SpanKind: 1 internal, 2 server. */
  kind?: number;
  status?: { code?: number };
  attributes: Record<string, unknown>;
  links?: { traceId: string; spanId: string }[];
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
const flatten = (attributes: OtlpAttribute[] = []) =>
  Object.fromEntries(
    attributes.map(({ key, value }) => [
      key,
      value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue,
    ]),
  );

/** The receiving end of OTLP over HTTP with JSON (`/v1/traces`): what a collector would get. */
function otlpReceiver(): { server: Server; spans: ExportedSpan[] } {
  const spans: ExportedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans?: {
            resource?: { attributes?: OtlpAttribute[] };
            scopeSpans?: {
              spans?: (Omit<ExportedSpan, 'service' | 'attributes'> & {
                attributes?: OtlpAttribute[];
              })[];
            }[];
          }[];
        };
        for (const resource of body.resourceSpans ?? []) {
          const service = String(flatten(resource.resource?.attributes)['service.name']);
          for (const scope of resource.scopeSpans ?? [])
            for (const span of scope.spans ?? [])
              spans.push({ ...span, service, attributes: flatten(span.attributes) });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return { server, spans };
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** A caller's trace: its W3C `traceparent`, and the ids in it. */
const callerTrace = (sampled = true) => {
  const traceId = hex(16);
  const parentSpanId = hex(8);
  return {
    traceId,
    parentSpanId,
    traceparent: `00-${traceId}-${parentSpanId}-${sampled ? '01' : '00'}`,
  };
};

describe('traces and logs (OpenTelemetry, W3C trace context)', () => {
  let system: RunningSystem;
  const receiver = otlpReceiver();

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.server.address() as AddressInfo;
    system = await startSystem(OFFSET, {
      API_KEYS: KEY,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await new Promise((resolve) => receiver.server.close(resolve));
  });

  /**
   * The spans of one trace, once `count` operation spans have arrived and the
   * trace is whole: every span's parent is in it but the top one's, which is
   * the caller's (the server span ends after the response, in a later export).
   */
  async function traceOf(traceId: string, operations: number): Promise<ExportedSpan[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const spans = receiver.spans.filter((span) => span.traceId === traceId);
      const ids = new Set(spans.map((span) => span.spanId));
      const tops = spans.filter((span) => !span.parentSpanId || !ids.has(span.parentSpanId));
      if (
        spans.filter((span) => 'bookshop.protocol' in span.attributes).length >= operations &&
        tops.length === 1
      )
        return spans;
      if (Date.now() > deadline)
        throw new Error(`trace ${traceId}: ${JSON.stringify(spans, null, 1)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Each operation span of a trace: its name, protocol, who its parent is, and whether the database was a child. */
  function shape(spans: ExportedSpan[], parentSpanId: string) {
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    return spans
      .filter((span) => 'bookshop.protocol' in span.attributes)
      .map((span) => {
        const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
        return {
          name: span.name,
          service: span.service,
          protocol: span.attributes['bookshop.protocol'],
          rpcSystem: span.attributes['rpc.system'],
          // The caller's span directly (WebSocket), or through the HTTP server span.
          parent:
            span.parentSpanId === parentSpanId
              ? 'caller'
              : parent?.parentSpanId === parentSpanId
                ? `${String(parent.attributes['http.request.method'] ?? parent.attributes['http.method'])} server span`
                : 'elsewhere',
          // The Postgres instrumentation's query spans (newer and older attribute names).
          database: spans.some(
            (child) =>
              child.parentSpanId === span.spanId &&
              (child.attributes['db.system.name'] ?? child.attributes['db.system']) ===
                'postgresql',
          ),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  it('REST: one span per call, a child of the HTTP server span that continued the caller’s trace, with the database below', async () => {
    const trace = callerTrace();
    const response = await fetch(`${url('rest')}/api/books/${BOOK.id}`, {
      headers: { traceparent: trace.traceparent },
    });
    expect(response.status).toBe(200);
    expect(shape(await traceOf(trace.traceId, 1), trace.parentSpanId)).toEqual([
      {
        name: 'books.get',
        service: 'bookshop-rest',
        protocol: 'rest',
        rpcSystem: undefined,
        parent: 'GET server span',
        database: true,
      },
    ]);
  });

  it('HTTP: the server span is named by method and route, with the HTTP semantic conventions', async () => {
    const found = callerTrace();
    await fetch(`${url('rest')}/api/books?limit=2`, {
      headers: { traceparent: found.traceparent, 'user-agent': 'telemetry-e2e' },
    });
    const missing = callerTrace();
    const notFound = await fetch(`${url('rest')}/api/books/00000000-0000-4000-8000-000000000000`, {
      headers: { traceparent: missing.traceparent },
    });
    expect(notFound.status).toBe(404);
    const serverSpan = async (caller: ReturnType<typeof callerTrace>) =>
      (await traceOf(caller.traceId, 1)).find((span) => span.parentSpanId === caller.parentSpanId);

    expect(await serverSpan(found)).toMatchObject({
      name: 'GET /api/books',
      kind: 2,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/api/books',
        'url.path': '/api/books',
        'url.query': 'limit=2',
        'url.scheme': 'http',
        'http.response.status_code': 200,
        'user_agent.original': 'telemetry-e2e',
      },
    });
    // A 4xx is the caller's: the server span is not an error; the operation span carries the code.
    const failed = await traceOf(missing.traceId, 1);
    const server = failed.find((span) => span.parentSpanId === missing.parentSpanId);
    expect(server).toMatchObject({
      name: 'GET /api/books/:id',
      attributes: { 'http.response.status_code': 404 },
    });
    expect(server?.status?.code ?? 0).not.toBe(2);
    expect(failed.find((span) => span.name === 'books.get')).toMatchObject({
      attributes: { 'error.type': 'NOT_FOUND' },
      status: { code: 2 },
    });
  });

  it('SOAP: the operation span carries rpc.system soap', async () => {
    const trace = callerTrace();
    const response = await fetch(`${url('soap')}/soap`, {
      method: 'POST',
      headers: {
        'content-type': 'text/xml; charset=utf-8',
        soapaction: '"urn:bookshop:v1#GetBook"',
        traceparent: trace.traceparent,
      },
      body: `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:b="urn:bookshop:v1"><soap:Body><b:GetBook><b:id>${BOOK.id}</b:id></b:GetBook></soap:Body></soap:Envelope>`,
    });
    expect(response.status).toBe(200);
    expect(shape(await traceOf(trace.traceId, 1), trace.parentSpanId)).toEqual([
      {
        name: 'books.get',
        service: 'bookshop-soap',
        protocol: 'soap',
        rpcSystem: 'soap',
        parent: 'POST server span',
        database: true,
      },
    ]);
  });

  it('GraphQL: a document with two fields shows a span per field, and the request span names the operation', async () => {
    const trace = callerTrace();
    const response = await fetch(`${url('graphql')}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: trace.traceparent },
      body: JSON.stringify({
        query: `query Both { book(id: "${BOOK.id}") { id } author(id: "${AUTHOR.id}") { id } }`,
      }),
    });
    expect(response.status).toBe(200);
    const spans = await traceOf(trace.traceId, 2);
    expect(shape(spans, trace.parentSpanId)).toEqual(
      ['authors.get', 'books.get'].map((name) => ({
        name,
        service: 'bookshop-graphql',
        protocol: 'graphql',
        rpcSystem: undefined,
        parent: 'POST server span',
        database: true,
      })),
    );
    const server = spans.find((span) => span.parentSpanId === trace.parentSpanId);
    expect(server?.attributes).toMatchObject({
      'graphql.operation.type': 'query',
      'graphql.operation.name': 'Both',
    });
  });

  it('JSON-RPC: a batch shows a span per call, failures with their contract code', async () => {
    const trace = callerTrace();
    const response = await fetch(`${url('jsonrpc')}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: trace.traceparent },
      body: JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'books.get', params: { id: BOOK.id } },
        {
          jsonrpc: '2.0',
          id: 2,
          method: 'authors.get',
          params: { id: '00000000-0000-4000-8000-000000000000' },
        },
      ]),
    });
    expect(response.status).toBe(200);
    const spans = await traceOf(trace.traceId, 2);
    expect(shape(spans, trace.parentSpanId)).toEqual([
      {
        name: 'authors.get',
        service: 'bookshop-jsonrpc',
        protocol: 'jsonrpc',
        rpcSystem: 'jsonrpc',
        parent: 'POST server span',
        database: true,
      },
      {
        name: 'books.get',
        service: 'bookshop-jsonrpc',
        protocol: 'jsonrpc',
        rpcSystem: 'jsonrpc',
        parent: 'POST server span',
        database: true,
      },
    ]);
    const failed = spans.find((span) => span.name === 'authors.get');
    expect(failed?.attributes['error.type']).toBe('NOT_FOUND');
    expect(failed?.status?.code).toBe(2); // STATUS_CODE_ERROR
  });

  it('WebSocket: a frame’s traceparent, else the upgrade request’s, is the parent of its call', async () => {
    const upgrade = callerTrace();
    const frame = callerTrace();
    const socket = new WebSocket(`${url('websocket').replace('http', 'ws')}/ws`, {
      headers: { traceparent: upgrade.traceparent },
    });
    const replies: unknown[] = [];
    socket.on('message', (data: Buffer) => replies.push(JSON.parse(data.toString('utf8'))));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ id: 1, op: 'books.get', params: { id: BOOK.id } }));
    socket.send(
      JSON.stringify({
        id: 2,
        op: 'authors.get',
        params: { id: AUTHOR.id },
        traceparent: frame.traceparent,
      }),
    );
    const [ofUpgrade, ofFrame] = await Promise.all([
      traceOf(upgrade.traceId, 1),
      traceOf(frame.traceId, 1),
    ]);
    socket.close();
    expect(replies).toHaveLength(2);
    const expected = (name: string) => ({
      name,
      service: 'bookshop-websocket',
      protocol: 'websocket',
      rpcSystem: undefined,
      parent: 'caller',
      database: true,
    });
    expect(shape(ofUpgrade, upgrade.parentSpanId)).toEqual([expected('books.get')]);
    expect(shape(ofFrame, frame.parentSpanId)).toEqual([expected('authors.get')]);
  });

  /** A WebSocket subscriber to `authors`, once its subscription is confirmed. */
  async function subscribeToAuthors() {
    const socket = new WebSocket(`${url('websocket').replace('http', 'ws')}/ws`);
    const frames: { id?: number; event?: string; data?: { name?: string } }[] = [];
    socket.on('message', (data: Buffer) =>
      frames.push(JSON.parse(data.toString('utf8')) as (typeof frames)[number]),
    );
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ id: 1, op: 'subscribe', params: { topics: ['authors'] } }));
    const deadline = Date.now() + 10_000;
    while (!frames.some((frame) => frame.id === 1) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    return { socket, frames };
  }

  /** The request lines a service logged for one trace. */
  const logLinesOf = (traceId: string) =>
    system.lines
      .map((text) => text.slice(text.indexOf('{')))
      .filter((text) => text.startsWith('{'))
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .filter((entry) => entry['trace_id'] === traceId && entry['msg'] === 'request completed');

  it('links an event’s delivery to the span of the call that wrote it', async () => {
    const { socket, frames } = await subscribeToAuthors();
    const deadline = Date.now() + 10_000;

    const trace = callerTrace();
    const created = await fetch(`${url('rest')}/api/authors`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${KEY}`,
        traceparent: trace.traceparent,
      },
      body: JSON.stringify({ name: 'Traced writer' }),
    });
    expect(created.status).toBe(201);
    const [write] = (await traceOf(trace.traceId, 1)).filter(
      (span) => span.name === 'authors.create',
    );
    let delivery: ExportedSpan | undefined;
    while (!delivery && Date.now() < deadline + 10_000) {
      delivery = receiver.spans.find(
        (span) =>
          span.name === 'events.deliver' &&
          span.links?.some((link) => link.traceId === trace.traceId),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    socket.close();
    expect(frames.some((frame) => frame.data?.name === 'Traced writer')).toBe(true);
    expect(delivery).toMatchObject({
      service: 'bookshop-websocket',
      attributes: { 'bookshop.protocol': 'websocket', 'bookshop.event.type': 'author.created' },
      links: [expect.objectContaining({ traceId: trace.traceId, spanId: write?.spanId })],
    });
    // Its own trace: a push is not part of the write's request.
    expect(delivery?.traceId).not.toBe(trace.traceId);
  });

  it('keeps the trace when the body arrives after the headers', async () => {
    const trace = callerTrace();
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${url('rest')}/api/authors`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${KEY}`,
          traceparent: trace.traceparent,
        },
      });
      request.once('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.once('error', reject);
      // The headers now, the body in a later packet: the server reads it in later events.
      request.flushHeaders();
      setTimeout(() => request.end(JSON.stringify({ name: 'Slow body' })), 200);
    });
    expect(status).toBe(201);
    expect(shape(await traceOf(trace.traceId, 1), trace.parentSpanId)).toEqual([
      expect.objectContaining({
        name: 'authors.create',
        parent: 'POST server span',
        database: true,
      }),
    ]);
  });

  it('puts the trace on the request’s log line, with the protocol and the calls', async () => {
    const trace = callerTrace();
    await fetch(`${url('rest')}/api/authors/${AUTHOR.id}`, {
      headers: { traceparent: trace.traceparent },
    });
    await traceOf(trace.traceId, 1);
    const [line] = logLinesOf(trace.traceId);
    expect(line).toMatchObject({
      protocol: 'rest',
      trace_id: trace.traceId,
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      calls: [{ operation: 'authors.get', outcome: 'ok' }],
    });
  });

  it('makes no span for a caller that did not sample, yet its log lines and its events name its trace', async () => {
    const { socket, frames } = await subscribeToAuthors();
    const unsampled = callerTrace(false);
    const read = await fetch(`${url('rest')}/api/books/${BOOK.id}`, {
      headers: { traceparent: unsampled.traceparent },
    });
    const written = await fetch(`${url('rest')}/api/authors`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${KEY}`,
        traceparent: unsampled.traceparent,
      },
      body: JSON.stringify({ name: 'Unsampled writer' }),
    });
    expect([read.status, written.status]).toEqual([200, 201]);
    // A sampled request after them: once its spans are in, theirs would have been too.
    const marker = callerTrace();
    await fetch(`${url('rest')}/api/books/${BOOK.id}`, {
      headers: { traceparent: marker.traceparent },
    });
    await traceOf(marker.traceId, 1);

    let delivery: ExportedSpan | undefined;
    const deadline = Date.now() + 10_000;
    while (!delivery && Date.now() < deadline) {
      delivery = receiver.spans.find(
        (span) =>
          span.name === 'events.deliver' &&
          span.links?.some((link) => link.traceId === unsampled.traceId),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    socket.close();
    expect(frames.some((frame) => frame.data?.name === 'Unsampled writer')).toBe(true);
    expect(receiver.spans.filter((span) => span.traceId === unsampled.traceId)).toEqual([]);
    // The event recorded the writing request's trace, unsampled (its delivery is a trace of its own).
    expect(delivery?.links).toEqual([
      expect.objectContaining({ traceId: unsampled.traceId, spanId: expect.any(String) }),
    ]);
    expect(logLinesOf(unsampled.traceId).map((line) => line['calls'])).toEqual([
      [expect.objectContaining({ operation: 'books.get', outcome: 'ok' })],
      [expect.objectContaining({ operation: 'authors.create', outcome: 'ok' })],
    ]);
  });
});
