import { type CacheFront, type RunningService, startCacheFront } from '@bookshop/testing';
import { KEY, startRest, uniqueIsbn } from './support';

/** How long the service lets a cache reuse a read here (REST_CACHE_MAX_AGE_SECONDS). */
const MAX_AGE_S = 2;
/**
 * Ages are whole seconds (RFC 9111 §1.2.2), and nginx counts them from the
 * second it stored a response in: a read is stale within a second after
 * MAX_AGE_S has passed, never later.
 */
const STALE_AFTER_MS = (MAX_AGE_S + 1) * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The REST service's caching headers at work in a real HTTP cache: the
 * gateway's nginx (deploy/gateway/nginx.conf, its `proxy_cache` as
 * committed) in front of the service, which lets reads be reused for
 * MAX_AGE_S seconds.
 */
describe('the REST service behind a real cache (the gateway’s nginx)', () => {
  let service: RunningService;
  let cache: CacheFront;
  let through: string;

  beforeAll(async () => {
    ({ service } = await startRest({
      REST_CACHE_MAX_AGE_SECONDS: String(MAX_AGE_S),
      // Reachable from the container through the host's bridge address.
      HOST: '0.0.0.0',
    }));
    cache = await startCacheFront(service.url);
    through = cache.url;
  }, 120_000);

  afterAll(async () => {
    await cache?.stop();
    await service?.stop();
  });

  /** The responses the service itself sent for this path, by status. */
  const served = (path: string) =>
    service.logs
      .filter((entry) => (entry['req'] as { url?: string } | undefined)?.url === path)
      .flatMap((entry) => {
        const status = (entry['res'] as { statusCode?: number } | undefined)?.statusCode;
        return status === undefined ? [] : [status];
      });
  /** Waits for the service's request line of the latest request (it is written after the reply). */
  const settle = () => sleep(100);

  const read = async (path: string) => {
    const response = await fetch(`${through}${path}`);
    const body = (await response.json()) as { priceCents?: number };
    await settle();
    return {
      status: response.status,
      cache: response.headers.get('x-cache-status'),
      cacheControl: response.headers.get('cache-control'),
      price: body.priceCents,
    };
  };

  const newBook = async () => {
    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
    const author = (await (
      await fetch(`${service.url}/api/authors`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'Cached' }),
      })
    ).json()) as { id: string };
    return (await (
      await fetch(`${service.url}/api/books`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          title: 'Cached',
          authorId: author.id,
          isbn: uniqueIsbn(),
          priceCents: 100,
        }),
      })
    ).json()) as { id: string };
  };

  it('RFC9111-§4 answers repeated reads itself: the service sees one', async () => {
    const { id } = await newBook();
    const path = `/api/books/${id}`;
    const first = await read(path);
    const again = await read(path);
    const third = await read(path);
    expect([first.cache, again.cache, third.cache]).toEqual(['MISS', 'HIT', 'HIT']);
    expect(first.cacheControl).toBe(`public, max-age=${MAX_AGE_S}, must-revalidate`);
    expect([first.price, again.price, third.price]).toEqual([100, 100, 100]);
    expect(served(path)).toEqual([200]);
  });

  it('RFC9111-§4.3 revalidates a stale read with its validator: a 304 from the service renews it', async () => {
    const { id } = await newBook();
    const path = `/api/books/${id}`;
    await read(path);
    await sleep(STALE_AFTER_MS + 200);
    const revalidated = await read(path);
    const reused = await read(path);
    expect([revalidated.cache, reused.cache]).toEqual(['REVALIDATED', 'HIT']);
    expect([revalidated.status, revalidated.price]).toEqual([200, 100]);
    expect(served(path)).toEqual([200, 304]);
  });

  it('serves a changed book stale no longer than its max-age allows', async () => {
    const { id } = await newBook();
    const path = `/api/books/${id}`;
    await read(path);
    const stored = performance.now();
    const changed = await fetch(`${through}/api/books/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ priceCents: 250 }),
    });
    expect([changed.status, changed.headers.get('cache-control')]).toEqual([200, 'no-store']);
    // Within the max-age the cache may still answer with the old price; past it, never.
    const soon = await read(path);
    if (soon.price === 100) expect(performance.now() - stored).toBeLessThan(STALE_AFTER_MS);
    await sleep(Math.max(0, STALE_AFTER_MS + 200 - (performance.now() - stored)));
    const later = await read(path);
    expect([later.status, later.price]).toEqual([200, 250]);
    expect(later.cache).not.toBe('HIT');
  });

  it('stores no error and no write', async () => {
    const missing = '/api/books/00000000-0000-4000-8000-999999999999';
    const answers = [await fetch(`${through}${missing}`), await fetch(`${through}${missing}`)];
    await settle();
    expect(answers.map((answer) => answer.status)).toEqual([404, 404]);
    expect(answers.map((answer) => answer.headers.get('cache-control'))).toEqual([
      'no-store',
      'no-store',
    ]);
    expect(served(missing)).toEqual([404, 404]);
  });

  it('RFC9111-§4.1 keeps the JSON and the XML of one book apart (Vary: Accept)', async () => {
    const { id } = await newBook();
    const path = `/api/books/${id}`;
    const as = async (accept: string) => {
      const response = await fetch(`${through}${path}`, { headers: { accept } });
      await response.text();
      await settle();
      return [response.headers.get('content-type'), response.headers.get('x-cache-status')];
    };
    expect(await as('application/json')).toEqual(['application/json; charset=utf-8', 'MISS']);
    expect(await as('application/xml')).toEqual(['application/xml; charset=utf-8', 'MISS']);
    expect(await as('application/json')).toEqual(['application/json; charset=utf-8', 'HIT']);
    expect(await as('application/xml')).toEqual(['application/xml; charset=utf-8', 'HIT']);
    expect(served(path)).toEqual([200, 200]);
  });
});
