import { AsyncLocalStorage } from 'node:async_hooks';
import { type IncomingHttpHeaders } from 'node:http';
import {
  type Context,
  context as otelContext,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import { suppressTracing, unsuppressTracing } from '@opentelemetry/core';
import {
  type BookshopEvent,
  type EventSubscription,
  isDomainError,
  type OperationName,
  type OperationObserver,
} from '@bookshop/domain';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type LabelValues,
} from 'prom-client';

/**
 * The one vocabulary every service speaks (ARCHITECTURE.md, rule 12): span
 * names are the catalogue's operation names, and metrics and log lines label
 * calls with the same `operation` and one `protocol` per service, so one
 * dashboard compares the five.
 */
export const TELEMETRY = {
  operations: 'bookshop_operations_total',
  duration: 'bookshop_operation_duration_seconds',
  requestBytes: 'bookshop_request_bytes',
  responseBytes: 'bookshop_response_bytes',
  connections: 'bookshop_connections',
  subscriptions: 'bookshop_subscriptions',
  deliveryLag: 'bookshop_event_delivery_lag_seconds',
  pool: 'bookshop_db_pool_connections',
  /** The span attribute that names the protocol, as the metrics' label does. */
  protocolAttribute: 'bookshop.protocol',
} as const;

/** The semantic conventions' `rpc.system` for the protocols that are RPC. */
const RPC_SYSTEM: Record<string, string> = { jsonrpc: 'jsonrpc', soap: 'soap' };

/** One operation call a request made (a JSON-RPC call, a SOAP operation), for its log line. */
export interface CallRecord {
  operation: string;
  /** `ok`, or the contract's error code. */
  outcome: string;
  ms: number;
}

/** What a request's calls are recorded into while it runs (its log line's `calls`). */
interface RequestScope {
  calls: CallRecord[];
}
const requestScope = new AsyncLocalStorage<RequestScope>();

/** Runs `work` (the rest of a request) with its calls recorded into `calls`. */
export function withCallRecords<T>(calls: CallRecord[], work: () => T): T {
  return requestScope.run({ calls }, work);
}

/**
 * Where a call whose trace is not sampled keeps its request's span. Under a
 * parent-based sampler (the SDK's default, and every `parentbased_*` choice of
 * `OTEL_TRACES_SAMPLER`) a child of a span that is not sampled is not
 * sampled either, yet the SDK would still make it, and the `pg`
 * instrumentation would still read each query's attributes for it. So
 * `observe` runs such a call with no span in its context (the `pg`
 * instrumentation, `requireParentSpan`, then makes none), tracing suppressed
 * (a span anything else starts inside is a no-op, never a new root), and the
 * request's span here, so its log fields and the `traceparent` its events
 * record still name its trace.
 */
const UNSAMPLED_PARENT = createContextKey('bookshop.unsampledParent');

/** The root context with tracing suppressed, the start of every unsampled request's. */
const SUPPRESSED_ROOT = suppressTracing(ROOT_CONTEXT);

/**
 * The context a request runs in under its server span `span`, whose parent
 * context (the caller's `traceparent`, if any) is `parent`. A span that is
 * sampled, or any span when the sampler is not parent-based, is made active.
 * An unsampled one under a parent-based sampler is set aside at once, as
 * `observe` would set it aside for each call (UNSAMPLED_PARENT), so that the
 * request's calls take the short way.
 */
export function requestContext(parent: Context, span: Span, parentBased: boolean): Context {
  return parentBased && !isSampled(span) ? setAside(parent, span) : trace.setSpan(parent, span);
}

/**
 * `ctx` with the unsampled `span` set aside (UNSAMPLED_PARENT) in place of an
 * active span, and tracing suppressed: what runs in it makes no span, and its
 * log fields and events still name `span`'s trace.
 */
function setAside(ctx: Context, span: Span): Context {
  const base = ctx === ROOT_CONTEXT ? SUPPRESSED_ROOT : suppressTracing(trace.deleteSpan(ctx));
  return base.setValue(UNSAMPLED_PARENT, span);
}

function isSampled(span: Span): boolean {
  return (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;
}

/** The active span, or the unsampled request span a call set aside. */
function activeSpan(ctx: Context = otelContext.active()): Span | undefined {
  return trace.getSpan(ctx) ?? (ctx.getValue(UNSAMPLED_PARENT) as Span | undefined);
}

/**
 * The OpenTelemetry context a W3C `traceparent` (and `tracestate`) names, on
 * top of the active one; the active one when there is none. A `traceparent`
 * replaces an unsampled request's span set aside (UNSAMPLED_PARENT) and its
 * suppression: the call it names has a sampling decision of its own. With
 * tracing off the propagator is the API's no-op one and this is the active
 * context.
 */
export function contextFrom(carrier: IncomingHttpHeaders | Record<string, unknown>): Context {
  const active = otelContext.active();
  const traceparent = carrier['traceparent'];
  if (typeof traceparent !== 'string') return active;
  const headers: Record<string, string> = { traceparent };
  const tracestate = carrier['tracestate'];
  if (typeof tracestate === 'string') headers['tracestate'] = tracestate;
  const base = active.getValue(UNSAMPLED_PARENT)
    ? unsuppressTracing(active).deleteValue(UNSAMPLED_PARENT)
    : active;
  return propagation.extract(base, headers);
}

/**
 * True when the sampler is parent-based: `OTEL_TRACES_SAMPLER` unset (the
 * SDK's default, `parentbased_always_on`) or one of the `parentbased_*` ones.
 */
export function parentBasedSampling(
  env: Record<string, string | undefined> = process.env,
): boolean {
  const sampler = env['OTEL_TRACES_SAMPLER']?.trim();
  return !sampler || sampler.startsWith('parentbased_');
}

/** The W3C `traceparent` of the active span (sampled or not), if there is one. */
export function currentTraceparent(): string | undefined {
  const active = otelContext.active();
  const span = activeSpan(active);
  if (!span) return undefined;
  const carrier: Record<string, string> = {};
  // An unsampled call runs with tracing suppressed, under which the propagator writes nothing.
  propagation.inject(trace.setSpan(unsuppressTracing(active), span), carrier);
  return carrier['traceparent'];
}

/** `trace_id` and `span_id` of the active span, for a log line. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const span = activeSpan()?.spanContext();
  return span && trace.isSpanContextValid(span)
    ? { trace_id: span.traceId, span_id: span.spanId }
    : {};
}

type OperationLabels = 'operation' | 'protocol' | 'outcome';

/**
 * A service's telemetry: the Prometheus registry it serves at `/metrics`
 * (with the standard process and runtime metrics), and the observer the
 * Bookshop calls around every operation, which makes the operation's span,
 * counts it, times it and records it on its request's log line.
 */
export class Telemetry implements OperationObserver {
  readonly registry = new Registry();
  private readonly tracer = trace.getTracer('bookshop');
  private readonly operations: Counter<OperationLabels>;
  private readonly duration: Histogram<OperationLabels>;
  private readonly requestBytes: Histogram<'protocol'>;
  private readonly responseBytes: Histogram<'protocol'>;
  private readonly connections: Gauge<'protocol'>;
  private readonly subscriptions: Gauge<'protocol'>;
  private readonly deliveryLag: Histogram<'protocol'>;
  private readonly spanAttributes: Record<string, string>;
  /** Whether a call under an unsampled span can skip its own (`UNSAMPLED_PARENT`). */
  private readonly parentBased = parentBasedSampling();

  constructor(readonly protocol: string) {
    this.registry.setDefaultLabels({ service: `bookshop-${protocol}` });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.operations = new Counter({
      name: TELEMETRY.operations,
      help: 'Operation calls, by catalogue operation, protocol and outcome (ok or the contract error code).',
      labelNames: ['operation', 'protocol', 'outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: TELEMETRY.duration,
      help: 'How long operation calls took, from validated input to result.',
      labelNames: ['operation', 'protocol', 'outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    const sizes = [64, 256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576];
    this.requestBytes = new Histogram({
      name: TELEMETRY.requestBytes,
      help: 'Bytes of each request body or request frame received.',
      labelNames: ['protocol'],
      buckets: sizes,
      registers,
    });
    this.responseBytes = new Histogram({
      name: TELEMETRY.responseBytes,
      help: 'Bytes of each response body or frame sent.',
      labelNames: ['protocol'],
      buckets: sizes,
      registers,
    });
    this.connections = new Gauge({
      name: TELEMETRY.connections,
      help: 'Open WebSocket connections (the WebSocket protocol, and graphql-ws).',
      labelNames: ['protocol'],
      registers,
    });
    this.subscriptions = new Gauge({
      name: TELEMETRY.subscriptions,
      help: 'Live event subscriptions.',
      labelNames: ['protocol'],
      registers,
    });
    this.deliveryLag = new Histogram({
      name: TELEMETRY.deliveryLag,
      help: 'From an event being written to its push to a subscriber.',
      labelNames: ['protocol'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.spanAttributes = {
      [TELEMETRY.protocolAttribute]: protocol,
      ...(RPC_SYSTEM[protocol] ? { 'rpc.system': RPC_SYSTEM[protocol] } : {}),
    };
  }

  /** The operation's span (a child of the request's), its count and time, and its log record. */
  observe<T>(operation: OperationName, call: () => Promise<T>): Promise<T> {
    const active = otelContext.active();
    const current = trace.getSpan(active);
    // Its request, or the call it is in, already set its unsampled span aside.
    if (!current && active.getValue(UNSAMPLED_PARENT)) return this.measure(operation, call);
    if (current && this.parentBased && !isSampled(current)) {
      // Not sampled: no span for the call or its queries (UNSAMPLED_PARENT says why).
      return otelContext.with(setAside(active, current), () => this.measure(operation, call));
    }
    return this.tracer.startActiveSpan(operation, { kind: SpanKind.INTERNAL }, (span: Span) => {
      // Attributes only for a span that is kept: a sampler that is not parent-based may drop it.
      if (span.isRecording()) {
        span.setAttributes({
          ...this.spanAttributes,
          'bookshop.operation': operation,
          ...(RPC_SYSTEM[this.protocol] ? { 'rpc.method': operation } : {}),
        });
      }
      return this.measure(operation, call, span);
    });
  }

  /** Counts, times and records one call, and ends its span if it has one. */
  private async measure<T>(
    operation: OperationName,
    call: () => Promise<T>,
    span?: Span,
  ): Promise<T> {
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await call();
    } catch (error) {
      outcome = isDomainError(error) ? error.code : 'INTERNAL';
      span?.setAttribute('error.type', outcome);
      span?.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      throw error;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const labels: LabelValues<OperationLabels> = {
        operation,
        protocol: this.protocol,
        outcome,
      };
      this.operations.inc(labels);
      this.duration.observe(labels, seconds);
      requestScope.getStore()?.calls.push({ operation, outcome, ms: Math.round(seconds * 1000) });
      span?.end();
    }
  }

  /** A call refused before it ran (no key, a rate limit): counted with its code, and logged. */
  refused(operation: OperationName, code: string): void {
    const labels = { operation, protocol: this.protocol, outcome: code };
    this.operations.inc(labels);
    requestScope.getStore()?.calls.push({ operation, outcome: code, ms: 0 });
  }

  /** A request body or frame received, and the response to it. */
  countBytes(direction: 'request' | 'response', bytes: number): void {
    (direction === 'request' ? this.requestBytes : this.responseBytes).observe(
      { protocol: this.protocol },
      bytes,
    );
  }

  /** A WebSocket connection opened (+1) or closed (-1). */
  connectionsChanged(delta: number): void {
    this.connections.inc({ protocol: this.protocol }, delta);
  }

  /** An event subscription started (+1) or ended (-1). */
  subscriptionsChanged(delta: number): void {
    this.subscriptions.inc({ protocol: this.protocol }, delta);
  }

  /**
   * A feed subscription that counts itself in the subscriptions gauge while
   * it is open, and each event's lag (from its write to its consumer taking
   * it, just before the push) as its consumer takes it.
   */
  observeSubscription(subscription: EventSubscription): EventSubscription {
    this.subscriptionsChanged(1);
    let open = true;
    // The delivery in progress: from its consumer taking the event to asking for the next.
    let delivering: Span | undefined;
    const end = () => {
      delivering?.end();
      delivering = undefined;
      if (!open) return;
      open = false;
      this.subscriptionsChanged(-1);
    };
    const iterator = subscription[Symbol.asyncIterator]();
    const next = async (): Promise<IteratorResult<BookshopEvent>> => {
      delivering?.end();
      delivering = undefined;
      const result = await iterator.next();
      if (result.done) end();
      else {
        this.delivered(result.value.occurredAt);
        delivering = this.deliverySpan(result.value);
      }
      return result;
    };
    return {
      close: () => {
        end();
        subscription.close();
      },
      [Symbol.asyncIterator]: () => ({
        next,
        return: async () => {
          end();
          return (await iterator.return?.()) ?? { done: true, value: undefined };
        },
      }),
    };
  }

  /**
   * The span of one event's push to one subscriber, linked to the span of the
   * call that wrote it (its `trace`); none for an event written untraced.
   */
  private deliverySpan(event: BookshopEvent): Span | undefined {
    if (!event.trace) return undefined;
    const written = trace.getSpanContext(
      propagation.extract(ROOT_CONTEXT, { traceparent: event.trace }),
    );
    return this.tracer.startSpan(
      'events.deliver',
      {
        kind: SpanKind.PRODUCER,
        links: written ? [{ context: written }] : [],
        attributes: {
          ...this.spanAttributes,
          'bookshop.event.type': event.type,
          'bookshop.event.seq': event.seq,
        },
      },
      ROOT_CONTEXT,
    );
  }

  /** An event pushed to a subscriber; `occurredAt` is when it was written. */
  delivered(occurredAt: string): void {
    const lag = (Date.now() - Date.parse(occurredAt)) / 1000;
    if (Number.isFinite(lag))
      this.deliveryLag.observe({ protocol: this.protocol }, Math.max(0, lag));
  }

  /** Adds a gauge read at scrape time (the database pool's connections). */
  gaugeOnScrape(
    name: string,
    help: string,
    labelName: string,
    read: () => Record<string, number> | undefined,
  ): void {
    new Gauge({
      name,
      help,
      labelNames: [labelName],
      registers: [this.registry],
      collect() {
        const values = read();
        for (const [label, value] of Object.entries(values ?? {}))
          this.set({ [labelName]: label }, value);
      },
    });
  }
}
