import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type FastifyInstance } from 'fastify';
import { type Params, PinoLogger } from 'nestjs-pino';
import { type Options as HttpLoggerOptions, pinoHttp } from 'pino-http';
import { type ServiceConfig } from './config';
import { logDestination } from './log-output';
import { type CallRecord, traceFields } from './telemetry';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The request id: the caller's `x-request-id` when it is a sane token, else a
 * new UUID. Memoised on the raw request so that Fastify, pino-http and the
 * error filters all see the same id.
 */
export function requestIdOf(req: IncomingMessage): string {
  const carrier = req as IncomingMessage & { id?: unknown };
  if (typeof carrier.id === 'string') return carrier.id;
  const offered = req.headers['x-request-id'];
  const id = typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
  carrier.id = id;
  return id;
}

const CALLS = Symbol('bookshop.calls');

/**
 * The calls a request has made so far, kept on the raw request: the request
 * log line carries them as `calls` (see `loggerOptions`). One line per
 * request, however many calls a batch holds, rather than a line per call:
 * a synchronous log write per call cost JSON-RPC about a fifth of its CPU
 * per request (docs/benchmarks.md).
 */
export function callRecordsOf(req: IncomingMessage): CallRecord[] {
  const carrier = req as IncomingMessage & { [CALLS]?: CallRecord[] };
  return (carrier[CALLS] ??= []);
}

function withCalls(req: IncomingMessage, value: object): object {
  const calls = (req as IncomingMessage & { [CALLS]?: CallRecord[] })[CALLS];
  return calls?.length ? { ...value, calls } : value;
}

const CALLER_FAULT = Symbol('bookshop.callerFault');

/**
 * Marks a response whose 5xx status the protocol requires for the caller's
 * mistake (SOAP 1.1 §6.2 sends every fault with HTTP 500), so that the
 * request log rates it as a warning, like any 4xx, rather than an error.
 */
export function markCallerFault(res: ServerResponse): void {
  (res as ServerResponse & { [CALLER_FAULT]?: boolean })[CALLER_FAULT] = true;
}

/** The pino level of a finished request: errors for the service's faults, warnings for the caller's. */
export function requestLogLevel(
  res: ServerResponse,
  error: Error | undefined,
): 'error' | 'warn' | 'info' {
  const callerFault = (res as ServerResponse & { [CALLER_FAULT]?: boolean })[CALLER_FAULT];
  if (error || (res.statusCode >= 500 && !callerFault)) return 'error';
  return res.statusCode >= 400 ? 'warn' : 'info';
}

/**
 * The path a request was sent to. Middleware sees `req.url` with the part of
 * the path its route matched taken off (as Express and @fastify/middie do), so
 * the path as sent is `originalUrl`.
 */
export function requestPathOf(req: IncomingMessage): string {
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Liveness and readiness probes: polled every few seconds, so not logged. */
export function isHealthProbe(req: IncomingMessage): boolean {
  return requestPathOf(req).startsWith('/health/');
}

/** Probes and metric scrapes: requests that come every few seconds, neither logged nor traced. */
export function isRoutinePoll(req: IncomingMessage): boolean {
  return isHealthProbe(req) || requestPathOf(req) === '/metrics';
}

/**
 * Structured logs with pino: secrets redacted, JSON lines or readable lines
 * at a terminal (LOG_FORMAT). nestjs-pino gives Nest's loggers this pino
 * logger; the request lines come from Fastify's hooks (`logRequests`), so it
 * mounts no middleware.
 */
export function loggerOptions(config: ServiceConfig): Params {
  const options: HttpLoggerOptions = {
    level: config.logLevel,
    // `protocol` is the label the metrics and spans use (ARCHITECTURE.md, rule 12).
    base: { service: config.service, protocol: config.service },
    // The active trace, when tracing is on: the request's own span on its line.
    mixin: () => traceFields(),
    messageKey: 'msg',
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
  };
  const destination = logDestination(config.logFormat);
  return {
    // No Nest middleware (it would run through @fastify/middie): see `logRequests`.
    forRoutes: [],
    pinoHttp: destination ? [options, destination] : options,
  };
}

/**
 * One line per request, with its id, written when the response has been sent
 * (health probes and metric scrapes left out), by pino-http from a Fastify
 * `onRequest` hook rather than as Nest middleware through `@fastify/middie`
 * (ADR 0010: REST `books.get` gained about a tenth in throughput). The rest
 * of the request runs in nestjs-pino's context with the request bound, so a
 * line that Nest's loggers write while it runs names the request too.
 */
export function logRequests(fastify: FastifyInstance, logger: PinoLogger): void {
  const requestLog = pinoHttp({
    logger: PinoLogger.root,
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    autoLogging: { ignore: isRoutinePoll },
    customLogLevel: (_req, res, error) => requestLogLevel(res, error),
    // The finished request's line carries its calls. (A `customProps` child logger
    // per request cost as much as a line of its own: docs/benchmarks.md.)
    customSuccessObject: (req, _res, value: object) => withCalls(req, value),
    customErrorObject: (req, _res, _error, value: object) => withCalls(req, value),
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    requestLog(request.raw, reply.raw);
    logger.runInContext(done, { bindings: { req: request.raw } });
  });
}
