/**
 * The HTTP server span of each request, made from Fastify's hooks with the
 * OpenTelemetry API: it continues the caller's W3C `traceparent`, carries the
 * HTTP semantic conventions (`http.request.method`, `http.route`,
 * `url.path`, `http.response.status_code`, …) and is the parent of the
 * request's operation spans, which the database spans are children of. A
 * request whose span the sampler drops runs with no span active and tracing
 * suppressed (telemetry.ts, `requestContext`), so nothing under it makes one.
 *
 * Why not `@opentelemetry/instrumentation-http`: it patches Node's `http`
 * module and binds every request and response emitter to the span's
 * context, on every request, sampled or not. With it, keeping one trace in
 * ten cost about 0.17 ms of CPU per request here; from these hooks, 0.11 ms
 * (docs/benchmarks.md, "Telemetry's cost"). The framework already knows
 * where a request starts, which route it matched and when it ends.
 * `@fastify/otel` does the same from the same hooks, but it pins an older
 * line of the instrumentation package than the rest of the OpenTelemetry
 * family here.
 */
import { type IncomingMessage } from 'node:http';
import {
  type Attributes,
  context as otelContext,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
} from '@opentelemetry/semantic-conventions';
import { type FastifyInstance, type FastifyRequest } from 'fastify';
import { parentBasedSampling, requestContext } from './telemetry';

const REQUEST_SPAN = Symbol('bookshop.requestSpan');

type TracedRequest = FastifyRequest & { [REQUEST_SPAN]?: Span };

/**
 * Opens a server span for every request `ignore` does not name, runs the
 * request's hooks and handler in its context (the body's events included:
 * the system suite checks a body that arrives after its headers), and ends
 * it with the status when the response has been sent (or when the client
 * went away first).
 */
export function traceRequests(
  fastify: FastifyInstance,
  ignore: (request: IncomingMessage) => boolean,
): void {
  const tracer = trace.getTracer('bookshop');
  const parentBased = parentBasedSampling();

  fastify.addHook('onRequest', (request: TracedRequest, _reply, done) => {
    if (ignore(request.raw)) return done();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const route = request.routeOptions.url;
    const url = request.url;
    const query = url.indexOf('?');
    // The attributes at creation, as the semantic conventions require, so a
    // sampler can read them. The keys are written out rather than computed from
    // the `ATTR_*` constants: V8 makes a literal with fixed keys from a
    // template, and one with computed keys by a call into its runtime per key,
    // on every request (docs/benchmarks.md, "Counted in instructions").
    // request-spans.spec.ts holds each to its constant.
    const attributes: Attributes = {
      'http.request.method': request.method,
      'url.path': query === -1 ? url : url.slice(0, query),
      'url.scheme': request.protocol,
      'network.protocol.version': request.raw.httpVersion,
      'client.address': request.ip,
    };
    if (query !== -1) attributes['url.query'] = url.slice(query + 1);
    if (route) attributes['http.route'] = route;
    const userAgent = request.headers['user-agent'];
    if (userAgent) attributes['user_agent.original'] = userAgent;
    const span = tracer.startSpan(
      // The semantic conventions' name: method and route template, never the raw path.
      route ? `${request.method} ${route}` : request.method,
      { kind: SpanKind.SERVER, attributes },
      parent,
    );
    request[REQUEST_SPAN] = span;
    otelContext.with(requestContext(parent, span, parentBased), done);
  });

  fastify.addHook('onResponse', (request: TracedRequest, reply, done) => {
    const span = request[REQUEST_SPAN];
    if (span) {
      request[REQUEST_SPAN] = undefined;
      const status = reply.statusCode;
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      // A server span fails on a 5xx only: a 4xx is the caller's (semantic conventions, HTTP spans).
      if (status >= 500) {
        span.setAttribute(ATTR_ERROR_TYPE, String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    }
    done();
  });

  fastify.addHook('onRequestAbort', (request: TracedRequest, done) => {
    const span = request[REQUEST_SPAN];
    if (span) {
      request[REQUEST_SPAN] = undefined;
      span.setAttribute(ATTR_ERROR_TYPE, 'aborted');
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'the client went away' });
      span.end();
    }
    done();
  });
}
