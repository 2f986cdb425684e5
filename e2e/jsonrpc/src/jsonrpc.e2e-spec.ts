import { logLine, refuseOversizedBody, type RunningService } from '@bookshop/testing';
import { KEY, startJsonRpc, uniqueIsbn } from './support';

const MISSING = '00000000-0000-4000-8000-999999999999';

describe('the JSON-RPC service', () => {
  let service: RunningService;
  let rpc: Awaited<ReturnType<typeof startJsonRpc>>;

  beforeAll(async () => {
    rpc = await startJsonRpc();
    service = rpc.service;
  });

  afterAll(async () => {
    await service.stop();
  });

  const newAuthor = () => rpc.result('authors.create', { name: 'Author' }, { key: KEY });
  const newBook = async (overrides: Record<string, unknown> = {}) =>
    rpc.result(
      'books.create',
      {
        title: 'A Book',
        authorId: (await newAuthor()).id,
        isbn: uniqueIsbn(),
        priceCents: 1000,
        stock: 5,
        ...overrides,
      },
      { key: KEY },
    );
  const errorOf = async (method: string, params?: unknown, key?: string) =>
    (await rpc.call(method, params, { key })).error;

  it('answers its health endpoints', async () => {
    expect(
      ((await (await fetch(`${service.url}/health/ready`)).json()) as { status: string }).status,
    ).toBe('ok');
  });

  describe('every method', () => {
    it('authors.create, authors.get and authors.list', async () => {
      const author = await rpc.result('authors.create', { name: ' Ann ', bio: 'b' }, { key: KEY });
      expect(author).toMatchObject({ name: 'Ann', bio: 'b' });
      expect(await rpc.result('authors.get', { id: author.id })).toEqual(author);
      const page = await rpc.result('authors.list', { limit: 100 });
      expect(page.items).toContainEqual(author);
      expect(page.nextCursor).toBeNull();
    });

    it('books.create, books.get, books.list, books.update, books.adjustStock and books.delete', async () => {
      const author = await newAuthor();
      const book = await rpc.result(
        'books.create',
        { title: 'Dune', authorId: author.id, isbn: uniqueIsbn(), priceCents: 999 },
        { key: KEY },
      );
      expect(book).toMatchObject({ title: 'Dune', stock: 0, version: 1 });
      expect(await rpc.result('books.get', { id: book.id })).toEqual(book);
      expect((await rpc.result('books.list', { authorId: author.id, q: 'DUN' })).items).toEqual([
        book,
      ]);
      const updated = await rpc.result(
        'books.update',
        { id: book.id, priceCents: 1, expectedVersion: 1 },
        { key: KEY },
      );
      expect(updated).toMatchObject({ priceCents: 1, version: 2 });
      expect(
        await rpc.result('books.adjustStock', { id: book.id, delta: 4 }, { key: KEY }),
      ).toMatchObject({ stock: 4, version: 3 });
      expect(await rpc.result('books.delete', { id: book.id }, { key: KEY })).toEqual({
        id: book.id,
      });
      expect((await errorOf('books.get', { id: book.id })).code).toBe(-32004);
    });

    it('orders.place, orders.get and orders.cancel', async () => {
      const book = await newBook({ stock: 3, priceCents: 700 });
      const order = await rpc.result(
        'orders.place',
        { lines: [{ bookId: book.id, quantity: 2 }] },
        { key: KEY },
      );
      expect(order).toMatchObject({
        status: 'PLACED',
        totalCents: 1400,
        lines: [{ bookId: book.id, quantity: 2, unitPriceCents: 700 }],
      });
      expect(await rpc.result('orders.get', { id: order.id })).toEqual(order);
      expect(await rpc.result('orders.cancel', { id: order.id }, { key: KEY })).toEqual({
        ...order,
        status: 'CANCELLED',
      });
      expect((await rpc.result('books.get', { id: book.id })).stock).toBe(3);
    });
  });

  describe('domain errors', () => {
    it('JSONRPC-§5.1 -32602 with data.details for validation', async () => {
      expect(
        await errorOf('orders.place', { lines: [{ bookId: MISSING, quantity: 0 }] }, KEY),
      ).toEqual({
        code: -32602,
        message: 'The input is not valid',
        data: {
          code: 'VALIDATION_FAILED',
          details: [{ path: 'lines[0].quantity', message: 'quantity must be at least 1' }],
        },
      });
      expect(
        (
          await errorOf(
            'books.create',
            { title: 'x', authorId: MISSING, isbn: uniqueIsbn(), priceCents: 1 },
            KEY,
          )
        ).data,
      ).toEqual({
        code: 'VALIDATION_FAILED',
        details: [{ path: 'authorId', message: 'no author has this id' }],
      });
    });

    it('-32004 for a missing entity', async () => {
      for (const method of ['authors.get', 'books.get', 'orders.get']) {
        expect(await errorOf(method, { id: MISSING })).toMatchObject({
          code: -32004,
          data: { code: 'NOT_FOUND' },
        });
      }
      expect(await errorOf('orders.cancel', { id: 'nope' }, KEY)).toMatchObject({ code: -32004 });
    });

    it('-32009 for a conflict: stale version, duplicate ISBN, referenced book, cancelled order', async () => {
      const book = await newBook({ stock: 2 });
      expect(
        await errorOf('books.update', { id: book.id, title: 'x', expectedVersion: 9 }, KEY),
      ).toMatchObject({
        code: -32009,
        data: {
          code: 'CONFLICT',
          details: [{ path: 'expectedVersion', message: 'current version is 1' }],
        },
      });
      expect(
        (
          await errorOf(
            'books.create',
            { title: 'x', authorId: book.authorId, isbn: book.isbn, priceCents: 1 },
            KEY,
          )
        ).code,
      ).toBe(-32009);
      const order = await rpc.result(
        'orders.place',
        { lines: [{ bookId: book.id, quantity: 1 }] },
        { key: KEY },
      );
      expect((await errorOf('books.delete', { id: book.id }, KEY)).code).toBe(-32009);
      await rpc.result('orders.cancel', { id: order.id }, { key: KEY });
      expect((await errorOf('orders.cancel', { id: order.id }, KEY)).code).toBe(-32009);
    });

    it('-32010 for out of stock, with every short line', async () => {
      const short = await newBook({ stock: 1 });
      const plenty = await newBook({ stock: 9 });
      expect(
        await errorOf(
          'orders.place',
          {
            lines: [
              { bookId: plenty.id, quantity: 1 },
              { bookId: short.id, quantity: 2 },
            ],
          },
          KEY,
        ),
      ).toMatchObject({
        code: -32010,
        data: { code: 'OUT_OF_STOCK', details: [{ bookId: short.id, requested: 2, available: 1 }] },
      });
      expect((await rpc.result('books.get', { id: plenty.id })).stock).toBe(9);
      expect((await errorOf('books.adjustStock', { id: short.id, delta: -2 }, KEY)).code).toBe(
        -32010,
      );
    });

    it('-32001 for a write without a valid key; reads need none', async () => {
      expect(await errorOf('authors.create', { name: 'x' })).toMatchObject({
        code: -32001,
        data: { code: 'UNAUTHENTICATED' },
      });
      expect((await errorOf('authors.create', { name: 'x' }, 'wrong')).code).toBe(-32001);
      expect((await rpc.call('authors.list', {})).result).toBeDefined();
    });
  });

  /**
   * The example exchanges of §7 of the specification, with its methods
   * replaced by ours. By-position parameters are optional in this contract and
   * not offered: the positional example is answered with -32602.
   */
  describe('the examples of §7', () => {
    const send = (value: unknown, key?: string) =>
      rpc.post(JSON.stringify(value), {
        'content-type': 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      });

    it('JSONRPC-§4.2 rpc call with positional parameters → -32602 (parameters go by name here)', async () => {
      const reply = await send({ jsonrpc: '2.0', method: 'books.get', params: [MISSING], id: 1 });
      expect(reply.body).toEqual({
        jsonrpc: '2.0',
        error: {
          code: -32602,
          message: 'Invalid params',
          data: {
            code: 'VALIDATION_FAILED',
            details: [{ path: '', message: 'params go by name: send an object' }],
          },
        },
        id: 1,
      });
    });

    it('JSONRPC-§4.2 rpc call with named parameters', async () => {
      const book = await newBook();
      expect(
        (await send({ jsonrpc: '2.0', method: 'books.get', params: { id: book.id }, id: 3 })).body,
      ).toEqual({
        jsonrpc: '2.0',
        result: book,
        id: 3,
      });
    });

    it('JSONRPC-§4.1 a notification: HTTP 204, no body, and the call ran', async () => {
      const reply = await send(
        { jsonrpc: '2.0', method: 'authors.create', params: { name: 'Notified' } },
        KEY,
      );
      expect(reply.status).toBe(204);
      expect(reply.text).toBe('');
      const page = await rpc.result('authors.list', { limit: 100 });
      expect(page.items.map((a: { name: string }) => a.name)).toContain('Notified');
    });

    it('JSONRPC-§5.1 rpc call of a non-existent method', async () => {
      expect((await send({ jsonrpc: '2.0', method: 'foobar', id: '1' })).body).toEqual({
        jsonrpc: '2.0',
        error: {
          code: -32601,
          message: 'Method not found',
          data: { code: 'BAD_REQUEST', method: 'foobar' },
        },
        id: '1',
      });
    });

    it('JSONRPC-§5.1 rpc call with invalid JSON', async () => {
      const reply = await rpc.post('{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]');
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        jsonrpc: '2.0',
        error: { code: -32700, message: 'Parse error', data: { code: 'BAD_REQUEST' } },
        id: null,
      });
    });

    it('JSONRPC-§5.1 rpc call with invalid Request object', async () => {
      expect((await send({ jsonrpc: '2.0', method: 1, params: 'bar' })).body).toMatchObject({
        error: { code: -32600 },
        id: null,
      });
    });

    it('JSONRPC-§6 rpc call Batch, invalid JSON', async () => {
      const reply = await rpc.post(
        '[{"jsonrpc": "2.0", "method": "books.list", "params": {}, "id": "1"},{"jsonrpc": "2.0", "method"]',
      );
      expect(reply.body).toMatchObject({ error: { code: -32700 }, id: null });
    });

    it('JSONRPC-§6 rpc call with an empty Array', async () => {
      expect((await send([])).body).toMatchObject({
        jsonrpc: '2.0',
        error: { code: -32600, message: 'Invalid Request' },
        id: null,
      });
    });

    it('JSONRPC-§6 rpc call with an invalid Batch (but not empty)', async () => {
      expect((await send([1])).body).toEqual([
        expect.objectContaining({ error: expect.objectContaining({ code: -32600 }), id: null }),
      ]);
    });

    it('JSONRPC-§6 rpc call with invalid Batch', async () => {
      const reply = (await send([1, 2, 3])).body;
      expect(reply).toHaveLength(3);
      expect(reply.every((r: { error: { code: number } }) => r.error.code === -32600)).toBe(true);
    });

    it('JSONRPC-§6 rpc call Batch: successes, errors and notifications together', async () => {
      const book = await newBook({ stock: 1 });
      const reply = await send(
        [
          { jsonrpc: '2.0', method: 'books.get', params: { id: book.id }, id: '1' },
          { jsonrpc: '2.0', method: 'authors.create', params: { name: 'In a batch' } },
          {
            jsonrpc: '2.0',
            method: 'books.adjustStock',
            params: { id: book.id, delta: -5 },
            id: '2',
          },
          { foo: 'boo' },
          { jsonrpc: '2.0', method: 'foo.get', params: { name: 'myself' }, id: '5' },
          { jsonrpc: '2.0', method: 'orders.get', params: { id: MISSING }, id: '9' },
          { jsonrpc: '2.0', method: 'authors.list', params: { limit: 1 }, id: '10' },
        ],
        KEY,
      );
      expect(reply.status).toBe(200);
      const byId = new Map<unknown, any>(reply.body.map((r: { id: unknown }) => [r.id, r]));
      expect(reply.body).toHaveLength(6);
      expect(byId.get('1').result).toMatchObject({ id: book.id });
      expect(byId.get('2').error).toMatchObject({ code: -32010 });
      expect(byId.get(null).error).toMatchObject({ code: -32600 });
      expect(byId.get('5').error).toMatchObject({ code: -32601 });
      expect(byId.get('9').error).toMatchObject({ code: -32004 });
      expect(byId.get('10').result.items).toHaveLength(1);
    });

    it('JSONRPC-§6 rpc call Batch (all notifications): HTTP 204 and nothing', async () => {
      const reply = await send(
        [
          { jsonrpc: '2.0', method: 'authors.create', params: { name: 'N1' } },
          { jsonrpc: '2.0', method: 'authors.create', params: { name: 'N2' } },
        ],
        KEY,
      );
      expect(reply.status).toBe(204);
      expect(reply.text).toBe('');
    });
  });

  describe('Idempotency-Key', () => {
    const headers = (key: string) => ({
      'content-type': 'application/json',
      authorization: `Bearer ${KEY}`,
      'idempotency-key': key,
    });
    const adjust = (id: string, delta: number, callId: unknown) => ({
      jsonrpc: '2.0',
      method: 'books.adjustStock',
      params: { id, delta },
      id: callId,
    });
    const stockOf = async (id: string) => (await rpc.result('books.get', { id })).stock;

    it('keys a lone call by the header alone: a retry with a new id gets the first result', async () => {
      const book = await newBook({ stock: 5 });
      const first = await rpc.post(JSON.stringify(adjust(book.id, 2, 1)), headers('rpc-lone-1'));
      const retry = await rpc.post(JSON.stringify(adjust(book.id, 2, 2)), headers('rpc-lone-1'));
      expect(first.body).toEqual({
        jsonrpc: '2.0',
        id: 1,
        result: expect.objectContaining({ stock: 7 }),
      });
      expect(retry.body).toEqual({ ...first.body, id: 2 });
      expect(await stockOf(book.id)).toBe(7);
    });

    it('keys each call of a batch by the header and its id: a retried batch runs nothing twice', async () => {
      const book = await newBook({ stock: 5 });
      const batch = JSON.stringify([
        adjust(book.id, 1, 'a'),
        adjust(book.id, 1, 'b'),
        adjust(book.id, 1, 1),
        // The same call under an id that differs only in type is another call.
        adjust(book.id, 1, '1'),
      ]);
      const first = await rpc.post(batch, headers('rpc-batch-1'));
      expect(await stockOf(book.id)).toBe(9);
      const retried = await rpc.post(batch, headers('rpc-batch-1'));
      // §6: a batch's replies may come in any order.
      expect(retried.body).toHaveLength(4);
      expect(retried.body).toEqual(expect.arrayContaining(first.body));
      expect(await stockOf(book.id)).toBe(9);
    });

    it('answers CONFLICT (-32009) for the key with other params, and changes nothing', async () => {
      const book = await newBook({ stock: 5 });
      await rpc.post(JSON.stringify(adjust(book.id, 1, 1)), headers('rpc-conflict'));
      const reused = await rpc.post(JSON.stringify(adjust(book.id, 3, 1)), headers('rpc-conflict'));
      expect(reused.body.error).toMatchObject({
        code: -32009,
        data: {
          code: 'CONFLICT',
          details: [{ path: 'idempotencyKey', message: expect.any(String) }],
        },
      });
      expect(await stockOf(book.id)).toBe(6);
    });
  });

  describe('the transport', () => {
    const body = JSON.stringify({ jsonrpc: '2.0', method: 'authors.list', params: {}, id: 1 });

    it('accepts application/json, application/json-rpc and no content type', async () => {
      const variants: Record<string, string>[] = [
        { 'content-type': 'application/json; charset=utf-8' },
        { 'content-type': 'application/json-rpc' },
        {},
      ];
      for (const headers of variants) {
        const reply = await rpc.post(body, headers);
        expect(reply.status).toBe(200);
        expect(reply.body.result.items).toBeDefined();
      }
    });

    it('refuses another media type with HTTP 415 and a JSON-RPC error', async () => {
      const reply = await rpc.post(body, { 'content-type': 'text/plain' });
      expect(reply.status).toBe(415);
      expect(reply.body).toMatchObject({
        error: { code: -32600, data: { code: 'BAD_REQUEST' } },
        id: null,
      });
    });

    it('refuses a body over 1 MiB with HTTP 413 and PAYLOAD_TOO_LARGE', async () => {
      const big = JSON.stringify({
        jsonrpc: '2.0',
        method: 'authors.create',
        params: { name: 'x'.repeat(1024 * 1024) },
        id: 1,
      });
      const reply = await rpc.post(big);
      expect(reply.status).toBe(413);
      expect(reply.body).toMatchObject({
        jsonrpc: '2.0',
        error: { code: -32600, data: { code: 'PAYLOAD_TOO_LARGE' } },
        id: null,
      });
    });

    it('answers a body over 1 MiB up front, then reads the rest and keeps the connection', async () => {
      // A proxy that buffered the body goes on sending it after the answer came.
      const refusal = await refuseOversizedBody(service.url, {
        path: '/rpc',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      });
      expect(refusal.head).toMatch(/^HTTP\/1\.1 413 /);
      expect(refusal.head.toLowerCase()).not.toContain('connection: close');
      expect(JSON.parse(refusal.body)).toMatchObject({
        error: { data: { code: 'PAYLOAD_TOO_LARGE' } },
      });
      expect(refusal.nextStatus).toBe(200);
    });

    it('takes a batch of 100 calls and refuses 101 with one -32600', async () => {
      const calls = (n: number) =>
        JSON.stringify(
          Array.from({ length: n }, (_, i) => ({
            jsonrpc: '2.0',
            method: 'authors.list',
            params: { limit: 1 },
            id: i,
          })),
        );
      expect((await rpc.post(calls(100))).body).toHaveLength(100);
      expect((await rpc.post(calls(101))).body).toEqual({
        jsonrpc: '2.0',
        error: {
          code: -32600,
          message: 'Invalid Request',
          data: { code: 'BAD_REQUEST', reason: 'a batch holds at most 100 calls' },
        },
        id: null,
      });
    });

    it('checks the key per call: in one batch a read succeeds and a write without a key fails', async () => {
      const reply = await rpc.post(
        JSON.stringify([
          { jsonrpc: '2.0', method: 'authors.list', params: {}, id: 'read' },
          { jsonrpc: '2.0', method: 'authors.create', params: { name: 'x' }, id: 'write' },
        ]),
      );
      const byId = new Map<unknown, any>(reply.body.map((r: { id: unknown }) => [r.id, r]));
      expect(byId.get('read').result).toBeDefined();
      expect(byId.get('write').error).toMatchObject({ code: -32001 });
    });

    it('logs every call of a request, with its method and outcome, on the request’s log line', async () => {
      const reply = await rpc.post(
        JSON.stringify([
          { jsonrpc: '2.0', method: 'books.get', params: { id: MISSING }, id: 1 },
          { jsonrpc: '2.0', method: 'authors.list', params: {}, id: 2 },
        ]),
      );
      const requestId = reply.headers.get('x-request-id');
      const logged = await logLine(
        service,
        (entry) => entry['res'] !== undefined && (entry['req'] as { id?: string }).id === requestId,
      );
      expect(logged['calls']).toEqual(
        expect.arrayContaining([
          { operation: 'books.get', outcome: 'NOT_FOUND', ms: expect.any(Number) },
          { operation: 'authors.list', outcome: 'ok', ms: expect.any(Number) },
        ]),
      );
      expect(logged['calls']).toHaveLength(2);
      // One line per request: no line of its own per call.
      expect(service.logs.filter((entry) => entry['msg'] === 'operation call')).toEqual([]);
    });
  });

  describe('rpc.discover', () => {
    it('returns an OpenRPC document of every method', async () => {
      const document = await rpc.result('rpc.discover');
      expect(document.openrpc).toMatch(/^1\.\d+\.\d+$/);
      expect(document.methods.map((m: { name: string }) => m.name).sort()).toEqual(
        [
          'authors.create',
          'authors.get',
          'authors.list',
          'books.adjustStock',
          'books.create',
          'books.delete',
          'books.get',
          'books.list',
          'books.update',
          'orders.cancel',
          'orders.get',
          'orders.place',
        ].sort(),
      );
    });
  });
});
