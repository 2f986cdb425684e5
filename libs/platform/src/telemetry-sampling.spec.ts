import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  TraceFlags,
  type SpanContext,
} from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_URL_PATH,
  ATTR_URL_QUERY,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import Fastify from 'fastify';
import { traceRequests } from './request-spans';
import {
  type CallRecord,
  contextFrom,
  currentTraceparent,
  parentBasedSampling,
  requestContext,
  Telemetry,
  traceFields,
  withCallRecords,
} from './telemetry';

const exporter = new InMemorySpanExporter();
let sdk: NodeSDK;

beforeAll(() => {
  process.env['OTEL_METRICS_EXPORTER'] = 'none';
  process.env['OTEL_LOGS_EXPORTER'] = 'none';
  sdk = new NodeSDK({
    sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
    instrumentations: [],
    // No resource detectors: a resource still detecting holds back every export.
    autoDetectResources: false,
  });
  sdk.start();
});
afterAll(() => sdk.shutdown());
beforeEach(() => exporter.reset());

const tracer = () => trace.getTracer('test');

/** Runs `work` under a request span continuing `traceparent`, as request-spans.ts does. */
async function underRequest<T>(
  traceparent: string,
  work: (request: SpanContext) => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, { traceparent });
  const span = tracer().startSpan('GET /api/books/:id', { kind: SpanKind.SERVER }, parent);
  try {
    return await context.with(requestContext(parent, span, true), () => work(span.spanContext()));
  } finally {
    span.end();
  }
}

/** Runs `work` with the span `traceparent` names active, as a WebSocket frame's call runs. */
function underRemoteParent<T>(
  traceparent: string,
  work: (parent: SpanContext) => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, { traceparent });
  return context.with(parent, () => work(trace.getSpanContext(parent)!));
}

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SAMPLED = `00-${TRACE}-00f067aa0ba902b7-01`;
const NOT_SAMPLED = `00-${TRACE}-00f067aa0ba902b7-00`;

describe('operation spans under a parent-based sampler', () => {
  it('a sampled request has its operation span, and the work inside sees it', async () => {
    const telemetry = new Telemetry('rest');
    const inside = await underRequest(SAMPLED, () =>
      telemetry.observe('books.get', () =>
        Promise.resolve({
          active: trace.getActiveSpan()?.isRecording(),
          fields: traceFields(),
          traceparent: currentTraceparent(),
        }),
      ),
    );
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['books.get', 'GET /api/books/:id']);
    const [operation, request] = spans;
    expect(operation!.parentSpanContext?.spanId).toBe(request!.spanContext().spanId);
    expect(operation!.attributes).toMatchObject({
      'bookshop.protocol': 'rest',
      'bookshop.operation': 'books.get',
    });
    expect(inside.active).toBe(true);
    expect(inside.fields).toEqual({ trace_id: TRACE, span_id: operation!.spanContext().spanId });
    expect(inside.traceparent).toBe(`00-${TRACE}-${operation!.spanContext().spanId}-01`);
  });

  it.each([
    ['whose request set its span aside', underRequest],
    ['under an unsampled span (a WebSocket frame)', underRemoteParent],
  ])('a call %s makes no span, and still carries its trace', async (_, under) => {
    const telemetry = new Telemetry('rest');
    let request: SpanContext | undefined;
    const inside = await under(NOT_SAMPLED, (span) => {
      request = span;
      return telemetry.observe('books.get', () =>
        // What the pg instrumentation (requireParentSpan) and a nested call would find.
        Promise.resolve({
          active: trace.getActiveSpan(),
          fields: traceFields(),
          traceparent: currentTraceparent(),
          nested: tracer().startSpan('nested').spanContext(),
        }),
      );
    });
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(request!.traceFlags & TraceFlags.SAMPLED).toBe(0);
    // No span in the context: the query instrumentation, which needs a parent, makes none.
    expect(inside.active).toBeUndefined();
    // The log line and the event the call writes still name the request's trace.
    expect(inside.fields).toEqual({ trace_id: TRACE, span_id: request!.spanId });
    expect(inside.traceparent).toBe(`00-${TRACE}-${request!.spanId}-00`);
    // Tracing is suppressed inside: a span started there anyway is a no-op, not a new root.
    expect(trace.isSpanContextValid(inside.nested)).toBe(false);
  });

  it('a call nested in an unsampled one stays unsampled, and its count and log record are kept', async () => {
    const telemetry = new Telemetry('jsonrpc');
    const calls: CallRecord[] = [];
    const inner = await underRequest(NOT_SAMPLED, () =>
      withCallRecords(calls, () =>
        telemetry.observe('orders.place', () =>
          telemetry.observe('books.get', () => Promise.resolve(traceFields())),
        ),
      ),
    );
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(inner.trace_id).toBe(TRACE);
    expect(calls.map((c) => `${c.operation} ${c.outcome}`)).toEqual([
      'books.get ok',
      'orders.place ok',
    ]);
    expect(await telemetry.registry.metrics()).toMatch(
      /bookshop_operations_total\{operation="books.get",protocol="jsonrpc",outcome="ok",[^}]*\} 1/,
    );
  });

  it('a sampled traceparent inside an unsampled request has its call traced (a WebSocket frame on an unsampled upgrade)', async () => {
    const telemetry = new Telemetry('websocket');
    const other = '0af7651916cd43dd8448eb211c80319c';
    await underRequest(NOT_SAMPLED, () =>
      context.with(contextFrom({ traceparent: `00-${other}-b7ad6b7169203331-01` }), () =>
        telemetry.observe('books.get', () => Promise.resolve()),
      ),
    );
    const spans = exporter.getFinishedSpans();
    expect(
      spans.map((s) => [s.name, s.spanContext().traceId, s.parentSpanContext?.spanId]),
    ).toEqual([['books.get', other, 'b7ad6b7169203331']]);
  });

  it('no traceparent leaves the context as it is', () => {
    const active = context.active();
    expect(contextFrom({ tracestate: 'a=b' })).toBe(active);
  });

  it('a failing unsampled call is counted with its code and still fails', async () => {
    const telemetry = new Telemetry('soap');
    await expect(
      underRequest(NOT_SAMPLED, () =>
        telemetry.observe('books.get', () => Promise.reject(new Error('boom'))),
      ),
    ).rejects.toThrow('boom');
    expect(await telemetry.registry.metrics()).toMatch(
      /bookshop_operations_total\{operation="books.get",protocol="soap",outcome="INTERNAL",[^}]*\} 1/,
    );
  });
});

describe('parentBasedSampling', () => {
  it('is the SDK default and every parentbased_* sampler, and no other', () => {
    expect(parentBasedSampling({})).toBe(true);
    expect(parentBasedSampling({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' })).toBe(true);
    expect(parentBasedSampling({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' })).toBe(true);
    expect(parentBasedSampling({ OTEL_TRACES_SAMPLER: 'always_on' })).toBe(false);
    expect(parentBasedSampling({ OTEL_TRACES_SAMPLER: 'traceidratio' })).toBe(false);
  });
});

describe('request spans (request-spans.ts)', () => {
  it('name the route and carry the semantic conventions’ HTTP attributes, by their constants’ names', async () => {
    const fastify = Fastify();
    traceRequests(fastify, () => false);
    fastify.get('/api/books/:id', async () => ({ ok: true }));
    try {
      const reply = await fastify.inject({
        method: 'GET',
        url: '/api/books/42?include=author',
        headers: { 'user-agent': 'spec', traceparent: SAMPLED },
      });
      expect(reply.statusCode).toBe(200);
    } finally {
      await fastify.close();
    }
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GET /api/books/:id');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.attributes).toEqual({
      [ATTR_HTTP_REQUEST_METHOD]: 'GET',
      [ATTR_URL_PATH]: '/api/books/42',
      [ATTR_URL_QUERY]: 'include=author',
      [ATTR_URL_SCHEME]: 'http',
      [ATTR_NETWORK_PROTOCOL_VERSION]: '1.1',
      [ATTR_CLIENT_ADDRESS]: '127.0.0.1',
      [ATTR_HTTP_ROUTE]: '/api/books/:id',
      [ATTR_USER_AGENT_ORIGINAL]: 'spec',
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 200,
    });
  });
});
