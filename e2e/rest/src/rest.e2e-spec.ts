import { refuseOversizedBody, type RunningService } from '@bookshop/testing';
import { KEY, startRest, uniqueIsbn } from './support';

const MISSING = '00000000-0000-4000-8000-999999999999';

describe('the REST service', () => {
  let service: RunningService;
  let http: Awaited<ReturnType<typeof startRest>>['http'];

  beforeAll(async () => {
    ({ service, http } = await startRest());
  });

  afterAll(async () => {
    await service.stop();
  });

  const newAuthor = async (name = 'Author') =>
    (await http('POST', '/api/authors', { key: KEY, body: { name } })).body;
  const newBook = async (overrides: Record<string, unknown> = {}) => {
    const author = await newAuthor();
    const result = await http('POST', '/api/books', {
      key: KEY,
      body: {
        title: 'A Book',
        authorId: author.id,
        isbn: uniqueIsbn(),
        priceCents: 1000,
        stock: 5,
        ...overrides,
      },
    });
    expect(result.status).toBe(201);
    return result.body;
  };

  const expectProblem = (
    result: { status: number; headers: Headers; body: any },
    status: number,
    code: string,
  ) => {
    expect(result.status).toBe(status);
    expect(result.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(result.body).toMatchObject({
      status,
      code,
      type: expect.stringMatching(/^urn:bookshop:problem:/),
    });
    expect(result.body.requestId).toBe(result.headers.get('x-request-id'));
  };

  describe('health', () => {
    it('answers live and ready', async () => {
      expect((await http('GET', '/health/live')).body).toEqual({ status: 'ok' });
      const ready = await http('GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up', engine: 'postgres' } },
      });
    });
  });

  describe('authors', () => {
    it('RFC9110-§15.3.2 creates an author: 201 with Location', async () => {
      const result = await http('POST', '/api/authors', {
        key: KEY,
        body: { name: '  Mary Shelley ', bio: 'Wrote.' },
      });
      expect(result.status).toBe(201);
      expect(result.body).toMatchObject({
        name: 'Mary Shelley',
        bio: 'Wrote.',
        createdAt: expect.any(String),
      });
      expect(result.headers.get('location')).toBe(`/api/authors/${result.body.id}`);
      expect((await http('GET', result.headers.get('location')!)).body).toEqual(result.body);
    });

    it('needs an API key to write: 401 without one or with a wrong one', async () => {
      expectProblem(
        await http('POST', '/api/authors', { body: { name: 'X' } }),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await http('POST', '/api/authors', { key: 'wrong', body: { name: 'X' } }),
        401,
        'UNAUTHENTICATED',
      );
      expectProblem(
        await http('POST', '/api/authors', {
          headers: { authorization: `Basic ${KEY}` },
          body: { name: 'X' },
        }),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('does not take the development key when API_KEYS is set', async () => {
      expectProblem(
        await http('POST', '/api/authors', { key: 'dev-key', body: { name: 'X' } }),
        401,
        'UNAUTHENTICATED',
      );
    });

    it('RFC9457-§3 answers 422 with every field error', async () => {
      const result = await http('POST', '/api/authors', {
        key: KEY,
        body: { name: '', bio: 'x'.repeat(2001), extra: 1 },
      });
      expectProblem(result, 422, 'VALIDATION_FAILED');
      expect(result.body.errors).toEqual([
        { path: 'name', message: 'name must not be empty' },
        { path: 'bio', message: 'bio must be at most 2000 characters' },
        { path: 'extra', message: 'is not a known field' },
      ]);
    });

    it('answers 400 to malformed JSON', async () => {
      expectProblem(
        await http('POST', '/api/authors', {
          key: KEY,
          raw: '{"name": ',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'BAD_REQUEST',
      );
    });

    it('RFC9110-§15.5.16 answers 415 to a body that is neither JSON nor XML', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/yaml']) {
        const result = await http('POST', '/api/authors', {
          key: KEY,
          raw: 'name=x',
          headers: { 'content-type': type },
        });
        expectProblem(result, 415, 'BAD_REQUEST');
      }
    });

    it('RFC9110-§15.5.14 answers 413 to a body over 1 MiB, and accepts one just under', async () => {
      const big = JSON.stringify({ name: 'x', bio: 'y'.repeat(1024 * 1024) });
      expectProblem(
        await http('POST', '/api/authors', {
          key: KEY,
          raw: big,
          headers: { 'content-type': 'application/json' },
        }),
        413,
        'PAYLOAD_TOO_LARGE',
      );
      const under = JSON.stringify({
        name: 'x',
        bio: 'y'.repeat(1000),
        pad: ' '.repeat(1024 * 1024 - 1100),
      });
      expect(Buffer.byteLength(under)).toBeLessThan(1024 * 1024);
      // Just under the limit the body is read and judged by the rules (the unknown field), not refused for size.
      expectProblem(
        await http('POST', '/api/authors', {
          key: KEY,
          raw: under,
          headers: { 'content-type': 'application/json' },
        }),
        422,
        'VALIDATION_FAILED',
      );
    });

    it('answers 404 for a missing or malformed id', async () => {
      expectProblem(await http('GET', `/api/authors/${MISSING}`), 404, 'NOT_FOUND');
      expectProblem(await http('GET', '/api/authors/not-a-uuid'), 404, 'NOT_FOUND');
    });

    it('lists a page at a time with an opaque cursor', async () => {
      for (let i = 0; i < 3; i++) await newAuthor(`Paged ${i}`);
      const all: string[] = [];
      let path = '/api/authors?limit=2';
      for (;;) {
        const page = await http('GET', path);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        all.push(...page.body.items.map((a: { id: string }) => a.id));
        if (!page.body.nextCursor) break;
        path = `/api/authors?limit=2&cursor=${encodeURIComponent(page.body.nextCursor)}`;
      }
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBeGreaterThanOrEqual(3);
    });

    it('answers 422 to a bad limit or cursor', async () => {
      const limit = await http('GET', '/api/authors?limit=101');
      expectProblem(limit, 422, 'VALIDATION_FAILED');
      expect(limit.body.errors).toEqual([{ path: 'limit', message: 'limit must be at most 100' }]);
      expectProblem(await http('GET', '/api/authors?limit=ten'), 422, 'VALIDATION_FAILED');
      const cursor = await http('GET', '/api/authors?cursor=bogus');
      expect(cursor.body.errors).toEqual([
        { path: 'cursor', message: 'is not a cursor this service issued' },
      ]);
    });
  });

  describe('books', () => {
    it('creates a book: 201 with Location and ETag, ISBN normalised', async () => {
      const author = await newAuthor();
      const isbn = uniqueIsbn();
      const hyphenated = `${isbn.slice(0, 3)}-${isbn.slice(3, 12)}-${isbn.slice(12)}`;
      const result = await http('POST', '/api/books', {
        key: KEY,
        body: { title: 'Frankenstein', authorId: author.id, isbn: hyphenated, priceCents: 1299 },
      });
      expect(result.status).toBe(201);
      expect(result.body).toMatchObject({
        title: 'Frankenstein',
        isbn,
        priceCents: 1299,
        stock: 0,
        version: 1,
      });
      expect(result.headers.get('location')).toBe(`/api/books/${result.body.id}`);
      expect(result.headers.get('etag')).toBe('"1"');
    });

    it('refuses a duplicate ISBN with 409 and a missing author with 422 at authorId', async () => {
      const book = await newBook();
      const duplicate = await http('POST', '/api/books', {
        key: KEY,
        body: { title: 'Again', authorId: book.authorId, isbn: book.isbn, priceCents: 1 },
      });
      expectProblem(duplicate, 409, 'CONFLICT');
      const orphan = await http('POST', '/api/books', {
        key: KEY,
        body: { title: 'Orphan', authorId: MISSING, isbn: uniqueIsbn(), priceCents: 1 },
      });
      expectProblem(orphan, 422, 'VALIDATION_FAILED');
      expect(orphan.body.errors).toEqual([{ path: 'authorId', message: 'no author has this id' }]);
    });

    it('RFC9110-§13.1.2 sends an ETag and answers 304 to a matching If-None-Match', async () => {
      const book = await newBook();
      const first = await http('GET', `/api/books/${book.id}`);
      expect(first.headers.get('etag')).toBe('"1"');
      const again = await http('GET', `/api/books/${book.id}`, {
        headers: { 'if-none-match': '"1"' },
      });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      const weak = await http('GET', `/api/books/${book.id}`, {
        headers: { 'if-none-match': 'W/"1"' },
      });
      expect(weak.status).toBe(304);
      const stale = await http('GET', `/api/books/${book.id}`, {
        headers: { 'if-none-match': '"0"' },
      });
      expect(stale.status).toBe(200);
    });

    it('embeds the listed books’ authors, each once, with include=author', async () => {
      const token = `Compound ${Date.now()}`;
      const first = await newBook({ title: `${token} one` });
      await newBook({ title: `${token} two`, authorId: first.authorId });
      const other = await newBook({ title: `${token} three` });
      const path = `/api/books?q=${encodeURIComponent(token)}`;
      const plain = await http('GET', path);
      expect(plain.body.included).toBeUndefined();
      const page = await http('GET', `${path}&include=author&limit=2`);
      expect(page.status).toBe(200);
      expect(page.body.items).toEqual(plain.body.items.slice(0, 2));
      expect(page.body.nextCursor).toEqual(expect.any(String));
      const authors = page.body.included.authors as { id: string; name: string }[];
      expect(authors.map((author) => author.id).sort()).toEqual(
        [...new Set(page.body.items.map((book: { authorId: string }) => book.authorId))].sort(),
      );
      for (const author of authors) {
        expect(author).toEqual((await http('GET', `/api/authors/${author.id}`)).body);
      }
      const rest = await http(
        'GET',
        `${path}&include=author&cursor=${encodeURIComponent(page.body.nextCursor)}`,
      );
      expect(rest.body.items.map((book: { id: string }) => book.id)).toEqual([other.id]);
      expect(rest.body.included.authors.map((author: { id: string }) => author.id)).toEqual([
        other.authorId,
      ]);
      const none = await http('GET', '/api/books?q=no-such-title-anywhere&include=author');
      expect(none.body).toEqual({ items: [], nextCursor: null, included: { authors: [] } });
    });

    it('answers 422 at include to anything but include=author, and still checks the rest', async () => {
      for (const include of ['authors', '', 'author,author', 'orders']) {
        const result = await http('GET', `/api/books?include=${encodeURIComponent(include)}`);
        expectProblem(result, 422, 'VALIDATION_FAILED');
        expect(result.body.errors).toEqual([{ path: 'include', message: 'can only be "author"' }]);
      }
      expectProblem(
        await http('GET', '/api/books?include=author&include=author'),
        422,
        'VALIDATION_FAILED',
      );
      const limit = await http('GET', '/api/books?include=author&limit=101');
      expectProblem(limit, 422, 'VALIDATION_FAILED');
      expect(limit.body.errors).toEqual([{ path: 'limit', message: 'limit must be at most 100' }]);
      // Only a list of books embeds: elsewhere `include` is an unknown parameter like any other.
      expectProblem(await http('GET', '/api/authors?include=author'), 422, 'VALIDATION_FAILED');
    });

    it('updates with PATCH, bumping the version and the ETag', async () => {
      const book = await newBook();
      const result = await http('PATCH', `/api/books/${book.id}`, {
        key: KEY,
        body: { title: 'Renamed', priceCents: 1 },
      });
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ title: 'Renamed', priceCents: 1, version: 2 });
      expect(result.headers.get('etag')).toBe('"2"');
    });

    it('answers 409 to a stale expectedVersion and changes nothing', async () => {
      const book = await newBook();
      await http('PATCH', `/api/books/${book.id}`, { key: KEY, body: { title: 'v2' } });
      const result = await http('PATCH', `/api/books/${book.id}`, {
        key: KEY,
        body: { title: 'v3', expectedVersion: 1 },
      });
      expectProblem(result, 409, 'CONFLICT');
      expect((await http('GET', `/api/books/${book.id}`)).body).toMatchObject({
        title: 'v2',
        version: 2,
      });
    });

    it('RFC9110-§13.1.1 honours If-Match: 412 when stale, 200 when current or *', async () => {
      const book = await newBook();
      const stale = await http('PATCH', `/api/books/${book.id}`, {
        key: KEY,
        headers: { 'if-match': '"7"' },
        body: { title: 'x' },
      });
      expectProblem(stale, 412, 'CONFLICT');
      const weak = await http('PATCH', `/api/books/${book.id}`, {
        key: KEY,
        headers: { 'if-match': 'W/"1"' },
        body: { title: 'x' },
      });
      expectProblem(weak, 412, 'CONFLICT');
      const current = await http('PATCH', `/api/books/${book.id}`, {
        key: KEY,
        headers: { 'if-match': '"1"' },
        body: { title: 'y' },
      });
      expect(current.status).toBe(200);
      const any = await http('PATCH', `/api/books/${book.id}`, {
        key: KEY,
        headers: { 'if-match': '*' },
        body: { title: 'z' },
      });
      expect(any.body).toMatchObject({ title: 'z', version: 3 });
    });

    it('refuses to set stock through PATCH', async () => {
      const book = await newBook();
      const result = await http('PATCH', `/api/books/${book.id}`, {
        key: KEY,
        body: { stock: 100 },
      });
      expectProblem(result, 422, 'VALIDATION_FAILED');
      expect(result.body.errors).toContainEqual({ path: 'stock', message: 'is not a known field' });
    });

    it('answers 404 when patching, deleting or adjusting a missing book', async () => {
      expectProblem(
        await http('PATCH', `/api/books/${MISSING}`, { key: KEY, body: { title: 'x' } }),
        404,
        'NOT_FOUND',
      );
      expectProblem(await http('DELETE', `/api/books/${MISSING}`, { key: KEY }), 404, 'NOT_FOUND');
      expectProblem(
        await http('POST', `/api/books/${MISSING}/stock-adjustments`, {
          key: KEY,
          body: { delta: 1 },
        }),
        404,
        'NOT_FOUND',
      );
    });

    it('adjusts stock, and answers 409 OUT_OF_STOCK below zero and 422 for a zero delta', async () => {
      const book = await newBook({ stock: 2 });
      const up = await http('POST', `/api/books/${book.id}/stock-adjustments`, {
        key: KEY,
        body: { delta: 3 },
      });
      expect(up.status).toBe(200);
      expect(up.body).toMatchObject({ stock: 5, version: 2 });
      const down = await http('POST', `/api/books/${book.id}/stock-adjustments`, {
        key: KEY,
        body: { delta: -6 },
      });
      expectProblem(down, 409, 'OUT_OF_STOCK');
      expect(down.body.errors).toEqual([{ bookId: book.id, requested: 6, available: 5 }]);
      const zero = await http('POST', `/api/books/${book.id}/stock-adjustments`, {
        key: KEY,
        body: { delta: 0 },
      });
      expectProblem(zero, 422, 'VALIDATION_FAILED');
    });

    it('RFC9110-§15.3.5 deletes with 204, then the book is gone', async () => {
      const book = await newBook();
      const result = await http('DELETE', `/api/books/${book.id}`, { key: KEY });
      expect(result.status).toBe(204);
      expect(result.text).toBe('');
      expectProblem(await http('GET', `/api/books/${book.id}`), 404, 'NOT_FOUND');
    });

    it('refuses to delete a book an order references: 409', async () => {
      const book = await newBook();
      await http('POST', '/api/orders', {
        key: KEY,
        body: { lines: [{ bookId: book.id, quantity: 1 }] },
      });
      expectProblem(await http('DELETE', `/api/books/${book.id}`, { key: KEY }), 409, 'CONFLICT');
    });
  });

  describe('orders', () => {
    it('places an order: 201 with Location, stock taken, price kept', async () => {
      const one = await newBook({ stock: 3, priceCents: 500 });
      const two = await newBook({ stock: 1, priceCents: 250 });
      const result = await http('POST', '/api/orders', {
        key: KEY,
        body: {
          lines: [
            { bookId: one.id, quantity: 2 },
            { bookId: two.id, quantity: 1 },
          ],
        },
      });
      expect(result.status).toBe(201);
      expect(result.body).toMatchObject({ status: 'PLACED', totalCents: 1250 });
      expect(result.headers.get('location')).toBe(`/api/orders/${result.body.id}`);
      await http('PATCH', `/api/books/${one.id}`, { key: KEY, body: { priceCents: 9999 } });
      const order = await http('GET', `/api/orders/${result.body.id}`);
      expect(order.body.lines[0]).toEqual({ bookId: one.id, quantity: 2, unitPriceCents: 500 });
      expect((await http('GET', `/api/books/${one.id}`)).body.stock).toBe(1);
    });

    it('answers 409 OUT_OF_STOCK listing every short line, and changes nothing', async () => {
      const plenty = await newBook({ stock: 10 });
      const short = await newBook({ stock: 1 });
      const result = await http('POST', '/api/orders', {
        key: KEY,
        body: {
          lines: [
            { bookId: plenty.id, quantity: 2 },
            { bookId: short.id, quantity: 3 },
          ],
        },
      });
      expectProblem(result, 409, 'OUT_OF_STOCK');
      expect(result.body.errors).toEqual([{ bookId: short.id, requested: 3, available: 1 }]);
      expect((await http('GET', `/api/books/${plenty.id}`)).body).toMatchObject({
        stock: 10,
        version: 1,
      });
    });

    it('cancels: 200, stock back; a second cancel is 409', async () => {
      const book = await newBook({ stock: 2 });
      const order = (
        await http('POST', '/api/orders', {
          key: KEY,
          body: { lines: [{ bookId: book.id, quantity: 2 }] },
        })
      ).body;
      const cancelled = await http('POST', `/api/orders/${order.id}/cancel`, { key: KEY });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toEqual({ ...order, status: 'CANCELLED' });
      expect((await http('GET', `/api/books/${book.id}`)).body.stock).toBe(2);
      expectProblem(
        await http('POST', `/api/orders/${order.id}/cancel`, { key: KEY }),
        409,
        'CONFLICT',
      );
    });

    it('answers 404 for a missing order', async () => {
      expectProblem(await http('GET', `/api/orders/${MISSING}`), 404, 'NOT_FOUND');
      expectProblem(
        await http('POST', `/api/orders/${MISSING}/cancel`, { key: KEY }),
        404,
        'NOT_FOUND',
      );
    });
  });

  describe('HTTP caching (RFC 9111)', () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    it('RFC9111-§5.2.2 marks reads storable with revalidation, writes and errors no-store', async () => {
      const book = await newBook();
      const read = await http('GET', `/api/books/${book.id}`);
      expect(read.headers.get('cache-control')).toBe('public, no-cache');
      for (const path of ['/api/books', `/api/authors/${book.authorId}`, '/api/authors?limit=2']) {
        expect((await http('GET', path)).headers.get('cache-control')).toBe('public, no-cache');
      }
      const write = await http('POST', `/api/books/${book.id}/stock-adjustments`, {
        key: KEY,
        body: { delta: 1 },
      });
      expect(write.headers.get('cache-control')).toBe('no-store');
      const missing = await http('GET', `/api/books/${MISSING}`);
      expect([missing.status, missing.headers.get('cache-control')]).toEqual([404, 'no-store']);
    });

    it('RFC9110-§13.1.2 validates a list page by a weak ETag of its bytes: 304 until it changes', async () => {
      const author = await newAuthor('Listed');
      const path = `/api/books?authorId=${author.id}`;
      const first = await http('GET', path);
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^W\/"[\w-]{27}"$/);
      const unchanged = await http('GET', path, { headers: { 'if-none-match': etag! } });
      expect({
        status: unchanged.status,
        text: unchanged.text,
        etag: unchanged.headers.get('etag'),
        cacheControl: unchanged.headers.get('cache-control'),
      }).toEqual({ status: 304, text: '', etag, cacheControl: 'public, no-cache' });
      await newBook({ authorId: author.id });
      const changed = await http('GET', path, { headers: { 'if-none-match': etag! } });
      expect(changed.status).toBe(200);
      expect(changed.body.items).toHaveLength(1);
    });

    it('RFC9110-§13.1.3 dates a book by its last change, and answers If-Modified-Since', async () => {
      const book = await newBook();
      // The date is sent once the second of the change is over (see http-cache.ts).
      await sleep(1100);
      const read = await http('GET', `/api/books/${book.id}`);
      const date = read.headers.get('last-modified');
      expect(new Date(date!).getTime()).toBeGreaterThanOrEqual(Date.parse(book.updatedAt));
      const since = await http('GET', `/api/books/${book.id}`, {
        headers: { 'if-modified-since': date! },
      });
      expect(since.status).toBe(304);
      await http('PATCH', `/api/books/${book.id}`, { key: KEY, body: { priceCents: 1 } });
      const after = await http('GET', `/api/books/${book.id}`, {
        headers: { 'if-modified-since': date! },
      });
      expect(after.status).toBe(200);
      expect(after.body.priceCents).toBe(1);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays a create: the same 201, Location and body, marked Idempotent-Replayed, one order', async () => {
      const book = await newBook({ stock: 5 });
      const place = () =>
        http('POST', '/api/orders', {
          key: KEY,
          headers: { 'idempotency-key': 'rest-place-1' },
          body: { lines: [{ bookId: book.id, quantity: 2 }] },
        });
      const first = await place();
      const repeat = await place();
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect({
        status: repeat.status,
        location: repeat.headers.get('location'),
        replayed: repeat.headers.get('idempotent-replayed'),
        text: repeat.text,
      }).toEqual({
        status: 201,
        location: first.headers.get('location'),
        replayed: 'true',
        text: first.text,
      });
      expect((await http('GET', `/api/books/${book.id}`)).body.stock).toBe(3);
    });

    it('replays a delete with its 204, and an update past its If-Match with its ETag', async () => {
      const book = await newBook({ stock: 0 });
      const update = () =>
        http('PATCH', `/api/books/${book.id}`, {
          key: KEY,
          headers: { 'idempotency-key': 'rest-update-1', 'if-match': '"1"' },
          body: { priceCents: 1234 },
        });
      const updated = await update();
      const again = await update();
      expect([updated.status, again.status]).toEqual([200, 200]);
      expect(again.headers.get('etag')).toBe('"2"');
      expect(again.headers.get('idempotent-replayed')).toBe('true');

      const remove = () =>
        http('DELETE', `/api/books/${book.id}`, {
          key: KEY,
          headers: { 'idempotency-key': 'rest-delete-1' },
        });
      expect((await remove()).status).toBe(204);
      const removedAgain = await remove();
      expect(removedAgain.status).toBe(204);
      expect(removedAgain.headers.get('idempotent-replayed')).toBe('true');
    });

    it('answers 409 CONFLICT for the key with another input, 422 for a key that breaks the rule', async () => {
      const book = await newBook({ stock: 5 });
      const adjust = (delta: number, key: string) =>
        http('POST', `/api/books/${book.id}/stock-adjustments`, {
          key: KEY,
          headers: { 'idempotency-key': key },
          body: { delta },
        });
      expect((await adjust(1, 'rest-adjust-1')).status).toBe(200);
      const reused = await adjust(2, 'rest-adjust-1');
      expectProblem(reused, 409, 'CONFLICT');
      expect(reused.body.errors).toEqual([{ path: 'idempotencyKey', message: expect.any(String) }]);
      const invalid = await adjust(1, 'has space');
      expectProblem(invalid, 422, 'VALIDATION_FAILED');
      expect(invalid.body.errors).toEqual([
        { path: 'idempotencyKey', message: expect.any(String) },
      ]);
      expect((await http('GET', `/api/books/${book.id}`)).body.stock).toBe(6);
    });

    it('keeps API keys apart: another key’s write with the same idempotency key is its own', async () => {
      const { service: other, http: otherHttp } = await startRest({
        API_KEYS: `${KEY},second-key`,
      });
      try {
        const book = (
          await otherHttp('POST', '/api/books', {
            key: KEY,
            body: {
              title: 'Shared',
              authorId: (await otherHttp('POST', '/api/authors', { key: KEY, body: { name: 'A' } }))
                .body.id,
              isbn: uniqueIsbn(),
              priceCents: 1,
              stock: 5,
            },
          })
        ).body;
        for (const key of [KEY, 'second-key']) {
          const result = await otherHttp('POST', `/api/books/${book.id}/stock-adjustments`, {
            key,
            headers: { 'idempotency-key': 'shared' },
            body: { delta: 1 },
          });
          expect(result.headers.get('idempotent-replayed')).toBeNull();
        }
        expect((await otherHttp('GET', `/api/books/${book.id}`)).body.stock).toBe(7);
      } finally {
        await other.stop();
      }
    });
  });

  describe('the transport', () => {
    it('RFC9110-§15.5.14 refuses a body over 1 MiB up front, then reads the rest and keeps the connection', async () => {
      // What a proxy that buffered the body does: it declares the length and
      // goes on sending after the 413 arrived. The connection must not be
      // reset under it; it stays usable for the next request.
      const refusal = await refuseOversizedBody(service.url, {
        path: '/api/authors',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      });
      expect(refusal.head).toMatch(/^HTTP\/1\.1 413 /);
      expect(refusal.head.toLowerCase()).not.toContain('connection: close');
      expect(JSON.parse(refusal.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(refusal.nextStatus).toBe(200);
    });

    it('RFC9457-§3 answers an unknown route with a 404 problem', async () => {
      expectProblem(await http('GET', '/api/nothing-here'), 404, 'NOT_FOUND');
    });

    it('echoes a caller’s request id', async () => {
      const result = await http('GET', `/api/books/${MISSING}`, {
        headers: { 'x-request-id': 'trace-123' },
      });
      expect(result.headers.get('x-request-id')).toBe('trace-123');
      expect(result.body.requestId).toBe('trace-123');
    });

    it('logs requests as JSON lines with their id and without the API key', async () => {
      await http('POST', '/api/authors', {
        key: KEY,
        body: { name: 'Logged' },
        headers: { 'x-request-id': 'log-check' },
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const line = service.logs.find(
        (entry) => (entry['req'] as { id?: string } | undefined)?.id === 'log-check',
      );
      expect(line).toMatchObject({
        service: 'rest',
        msg: 'request completed',
        res: { statusCode: 201 },
      });
      expect(JSON.stringify(line)).not.toContain(KEY);
    });

    it('logs unrouted requests, and leaves health probes out of the log', async () => {
      for (const path of ['/health/live', '/health/ready'])
        expect((await http('GET', path, { headers: { 'x-request-id': 'probe' } })).status).toBe(
          200,
        );
      await http('GET', '/no-such-route', { headers: { 'x-request-id': 'unrouted' } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const requestIds = service.logs.map(
        (entry) => (entry['req'] as { id?: string } | undefined)?.id,
      );
      expect(requestIds).toContain('unrouted');
      expect(requestIds).not.toContain('probe');
    });
  });

  describe('the OpenAPI document', () => {
    it('is a valid OpenAPI 3.1 document', async () => {
      const document = (await http('GET', '/api/openapi.json')).body;
      // The validator ships as ESM only.
      const { Validator } = await import('@seriousme/openapi-schema-validator');
      const result = await new Validator().validate(document);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
    });

    it('describes every route the service serves, with integer money and a security scheme', async () => {
      const document = (await http('GET', '/api/openapi.json')).body;
      expect(Object.keys(document.paths).sort()).toEqual([
        '/api/authors',
        '/api/authors/{id}',
        '/api/books',
        '/api/books/{id}',
        '/api/books/{id}/stock-adjustments',
        '/api/orders',
        '/api/orders/{id}',
        '/api/orders/{id}/cancel',
      ]);
      expect(document.components.schemas.Book.properties.priceCents.type).toBe('integer');
      expect(document.components.schemas.Order.properties.totalCents.type).toBe('integer');
      expect(document.components.securitySchemes.apiKey).toEqual(
        expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      );
      for (const [path, methods] of Object.entries<Record<string, any>>(document.paths)) {
        for (const [method, operation] of Object.entries<any>(methods)) {
          const concrete = path.replace('{id}', MISSING);
          const result = await http(method.toUpperCase(), concrete, {
            key: KEY,
            ...(operation.requestBody ? { body: {} } : {}),
          });
          // Whatever the outcome, it is one the document lists for that operation.
          expect(Object.keys(operation.responses)).toContain(String(result.status));
        }
      }
    });

    it('serves interactive docs at /api/docs', async () => {
      const result = await fetch(`${service.url}/api/docs`, { redirect: 'follow' });
      expect(result.status).toBe(200);
      expect(await result.text()).toContain('swagger');
    });
  });
});
