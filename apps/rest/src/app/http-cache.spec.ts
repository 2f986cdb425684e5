import { type FastifyReply } from 'fastify';
import {
  lastModified,
  loadRestSettings,
  notModified,
  readCacheControl,
  weakEtagOf,
} from './http-cache';

/** A reply that only records its headers. */
function reply() {
  const headers: Record<string, string> = {};
  const fake = {
    header(name: string, value: string) {
      headers[name] = value;
      return fake;
    },
  };
  return { reply: fake as unknown as FastifyReply, headers };
}

const request = (headers: Record<string, string>) => ({ headers });

describe('HTTP caching of REST reads', () => {
  it('lets caches store reads: revalidated every time by default, else for max-age', () => {
    expect(loadRestSettings({})).toEqual({ cacheMaxAgeSeconds: 0 });
    expect(readCacheControl(0)).toBe('public, no-cache');
    expect(readCacheControl(30)).toBe('public, max-age=30, must-revalidate');
    expect(loadRestSettings({ REST_CACHE_MAX_AGE_SECONDS: '30' })).toEqual({
      cacheMaxAgeSeconds: 30,
    });
    for (const bad of ['-1', '1.5', 'soon', '86401']) {
      expect(() => loadRestSettings({ REST_CACHE_MAX_AGE_SECONDS: bad })).toThrow(
        /REST_CACHE_MAX_AGE_SECONDS/,
      );
    }
  });

  it('dates a representation by its second rounded up, once that second is over', () => {
    const changed = '2026-12-02T10:00:00.250Z';
    const early = reply();
    lastModified(early.reply, changed, Date.parse('2026-12-02T10:00:00.900Z'));
    expect(early.headers).toEqual({});
    const later = reply();
    lastModified(later.reply, changed, Date.parse('2026-12-02T10:00:01.000Z'));
    expect(later.headers).toEqual({ 'last-modified': 'Wed, 02 Dec 2026 10:00:01 GMT' });
  });

  it('RFC9110-§13.2.2 evaluates If-None-Match first, If-Modified-Since only without it', () => {
    const at = Date.parse('2026-12-02T10:00:00.250Z');
    const etag = '"3"';
    expect(notModified(request({ 'if-none-match': 'W/"3"' }), etag, at)).toBe(true);
    expect(notModified(request({ 'if-none-match': '"2", "4"' }), etag, at)).toBe(false);
    // A failing If-None-Match is not rescued by a matching If-Modified-Since.
    expect(
      notModified(
        request({ 'if-none-match': '"2"', 'if-modified-since': 'Wed, 02 Dec 2026 10:00:01 GMT' }),
        etag,
        at,
      ),
    ).toBe(false);
    const since = (date: string) => notModified(request({ 'if-modified-since': date }), etag, at);
    expect(since('Wed, 02 Dec 2026 10:00:01 GMT')).toBe(true);
    expect(since('Wed, 02 Dec 2026 10:00:00 GMT')).toBe(false);
    expect(since('not a date')).toBe(false);
    expect(
      notModified(
        request({ 'if-modified-since': 'Wed, 02 Dec 2026 10:00:01 GMT' }),
        etag,
        undefined,
      ),
    ).toBe(false);
  });

  it('gives a representation without a version a weak validator from its bytes', () => {
    expect(weakEtagOf('{"items":[]}')).toMatch(/^W\/"[\w-]{27}"$/);
    expect(weakEtagOf('{"items":[]}')).toBe(weakEtagOf(Buffer.from('{"items":[]}')));
    expect(weakEtagOf('{"items":[]}')).not.toBe(weakEtagOf('{"items":[1]}'));
  });
});
