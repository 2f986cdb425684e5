import { createHash } from 'node:crypto';
import { parseEnvironment } from '@bookshop/platform';
import { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { noneMatch } from './etag';

export interface RestSettings {
  /**
   * How long a shared or private cache may answer a read without asking the
   * service again (REST_CACHE_MAX_AGE_SECONDS; default 0: a cache may store
   * a read but must revalidate it before every reuse).
   */
  cacheMaxAgeSeconds: number;
}

export function loadRestSettings(env: Record<string, string | undefined>): RestSettings {
  const values = parseEnvironment(
    z.object({
      REST_CACHE_MAX_AGE_SECONDS: z
        .string()
        .regex(/^\d+$/, 'must be a whole number of seconds')
        .transform(Number)
        .pipe(z.number().max(86_400, 'must be at most 86400 (a day)'))
        .optional(),
    }),
    env,
    'rest',
  );
  return { cacheMaxAgeSeconds: values.REST_CACHE_MAX_AGE_SECONDS ?? 0 };
}

/**
 * What a cache may do with a successful read (RFC 9111 §5.2.2): `public`, as
 * reads need no credentials, so a shared cache may store one even when the
 * request carried `Authorization` (§3.5); then either revalidate every time
 * (`no-cache`) or reuse it for `max-age` seconds and revalidate after.
 */
export function readCacheControl(maxAgeSeconds: number): string {
  return maxAgeSeconds === 0
    ? 'public, no-cache'
    : `public, max-age=${maxAgeSeconds}, must-revalidate`;
}

/** Writes, errors and anything not a read: nothing may be stored (RFC 9111 §5.2.2.5). */
export const NO_STORE = 'no-store';

/** Each reply's last modification, to the millisecond, for `If-Modified-Since`. */
const modified = new WeakMap<FastifyReply, number>();

/**
 * Sets `Last-Modified` (an HTTP-date, whole seconds) from an entity's time.
 * The header holds the time rounded up to its second, and is sent only once
 * that second is over: a change later in the same second would otherwise
 * carry the same date, and `If-Modified-Since` would call a changed
 * representation unchanged (RFC 9110 §8.8.2.2).
 */
export function lastModified(reply: FastifyReply, isoTime: string, now = Date.now()): void {
  const time = Date.parse(isoTime);
  const second = Math.ceil(time / 1000) * 1000;
  if (second > now) return;
  modified.set(reply, time);
  void reply.header('last-modified', new Date(second).toUTCString());
}

/** A weak validator for a representation with no version of its own: a digest of its bytes. */
export function weakEtagOf(body: string | Buffer): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * RFC 9110 §13.2.2: `If-None-Match` first; `If-Modified-Since` only without
 * it, and only on a representation with a last modification.
 */
export function notModified(
  request: Pick<FastifyRequest, 'headers'>,
  etag: string | undefined,
  modifiedAt: number | undefined,
): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) return etag !== undefined && noneMatch(ifNoneMatch, etag);
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince === undefined || modifiedAt === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && modifiedAt <= since;
}

const API = /^\/api\/(authors|books|orders)(\/|\?|$)/;

/**
 * HTTP caching for the API's routes (RFC 9111), in one hook that sees every
 * reply: a successful read gets `Cache-Control` for reads and a validator
 * (the handler's `ETag`, or a weak one from the body), and a conditional
 * read that matches is answered `304 Not Modified` with the validators and
 * no body; everything else (writes, errors) is `no-store`.
 */
export function cacheReplies(fastify: FastifyInstance, settings: RestSettings): void {
  const forReads = readCacheControl(settings.cacheMaxAgeSeconds);
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (!API.test(request.url)) return done(null, payload);
    const read = request.method === 'GET' || request.method === 'HEAD';
    if (!read || reply.statusCode !== 200) {
      void reply.header('cache-control', NO_STORE);
      return done(null, payload);
    }
    void reply.header('cache-control', forReads);
    let etag = reply.getHeader('etag') as string | undefined;
    if (etag === undefined && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
      etag = weakEtagOf(payload);
      void reply.header('etag', etag);
    }
    if (!notModified(request, etag, modified.get(reply))) return done(null, payload);
    void reply.code(304).removeHeader('content-type').removeHeader('content-length');
    done(null, null);
  });
}
