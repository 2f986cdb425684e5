import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Params } from 'nestjs-pino';
import { type ServiceConfig } from './config';

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

/** Structured JSON logs with pino: one line per request with its id, secrets redacted. */
export function loggerOptions(config: ServiceConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { service: config.service },
      messageKey: 'msg',
      genReqId: (req: IncomingMessage) => requestIdOf(req),
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health/') },
      customLogLevel: (_req, res, error) => requestLogLevel(res, error),
    },
  };
}
