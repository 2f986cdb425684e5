import { randomUUID } from 'node:crypto';
import { type IncomingMessage } from 'node:http';
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
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    },
  };
}
