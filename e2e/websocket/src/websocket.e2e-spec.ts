import { type RunningService } from '@bookshop/testing';
import { bearer, Client, KEY, startWebsocket, uniqueIsbn } from './support';

const MISSING = '00000000-0000-4000-8000-999999999999';

describe('the WebSocket service', () => {
  let service: RunningService;
  let wsUrl: string;
  let writer: Client;

  beforeAll(async () => {
    ({ service, wsUrl } = await startWebsocket());
    writer = await Client.open(wsUrl, bearer);
  });

  afterAll(async () => {
    writer.close();
    await service.stop();
  });

  const newBook = async (overrides: Record<string, unknown> = {}) => {
    const author = await writer.result('authors.create', { name: 'Author' });
    return writer.result('books.create', {
      title: 'A Book',
      authorId: author.id,
      isbn: uniqueIsbn(),
      priceCents: 1000,
      stock: 5,
      ...overrides,
    });
  };

  describe('every op', () => {
    it('answers each catalogue operation with its correlation id', async () => {
      const author = await writer.result('authors.create', { name: 'Ann' });
      expect(await writer.result('authors.get', { id: author.id })).toEqual(author);
      expect((await writer.result('authors.list', { limit: 100 })).items).toContainEqual(author);
      const book = await writer.result('books.create', {
        title: 'Dune',
        authorId: author.id,
        isbn: uniqueIsbn(),
        priceCents: 999,
        stock: 2,
      });
      expect(await writer.result('books.get', { id: book.id })).toEqual(book);
      expect((await writer.result('books.list', { authorId: author.id })).items).toEqual([book]);
      expect(
        await writer.result('books.update', { id: book.id, title: 'Dune 2', expectedVersion: 1 }),
      ).toMatchObject({ title: 'Dune 2', version: 2 });
      expect(await writer.result('books.adjustStock', { id: book.id, delta: 1 })).toMatchObject({
        stock: 3,
      });
      const order = await writer.result('orders.place', {
        lines: [{ bookId: book.id, quantity: 3 }],
      });
      expect(await writer.result('orders.get', { id: order.id })).toEqual(order);
      expect(await writer.result('orders.cancel', { id: order.id })).toMatchObject({
        status: 'CANCELLED',
      });
      const other = await newBook();
      expect(await writer.result('books.delete', { id: other.id })).toEqual({ id: other.id });
      const reply = await writer.request('books.get', { id: book.id });
      expect(reply.id).toMatch(/^c\d+$/);
    });

    it('answers errors with the contract codes', async () => {
      const book = await newBook({ stock: 1 });
      const code = async (op: string, params: unknown) => (await writer.request(op, params)).error;
      expect(await code('books.create', { title: '' })).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: expect.arrayContaining([{ path: 'title', message: 'title must not be empty' }]),
      });
      expect(await code('books.get', { id: MISSING })).toMatchObject({ code: 'NOT_FOUND' });
      expect(
        await code('books.update', { id: book.id, title: 'x', expectedVersion: 9 }),
      ).toMatchObject({ code: 'CONFLICT' });
      expect(await code('orders.place', { lines: [{ bookId: book.id, quantity: 2 }] })).toEqual({
        code: 'OUT_OF_STOCK',
        message: 'One line asks for more copies than are in stock',
        details: [{ bookId: book.id, requested: 2, available: 1 }],
      });
    });
  });

  describe('auth', () => {
    it('refuses a write without a key, and serves reads', async () => {
      const anonymous = await Client.open(wsUrl);
      expect((await anonymous.request('authors.create', { name: 'x' })).error).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
      expect((await anonymous.request('authors.list', {})).result).toBeDefined();
      anonymous.close();
    });

    it('takes the key from an auth op sent first', async () => {
      const browser = await Client.open(wsUrl);
      expect(await browser.result('auth', { token: KEY })).toEqual({ authenticated: true });
      expect(await browser.result('authors.create', { name: 'From a browser' })).toMatchObject({
        name: 'From a browser',
      });
      browser.close();
    });

    it('refuses a wrong key, and an auth op that is not the first frame', async () => {
      const wrong = await Client.open(wsUrl);
      expect((await wrong.request('auth', { token: 'nope' })).error).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
      expect((await wrong.request('auth', { token: KEY })).error).toMatchObject({
        code: 'BAD_REQUEST',
      });
      expect((await wrong.request('authors.create', { name: 'x' })).error).toMatchObject({
        code: 'UNAUTHENTICATED',
      });
      wrong.close();
    });
  });

  describe('robustness', () => {
    it('answers a frame that is not JSON, has no op or names an unknown op with BAD_REQUEST, and stays open', async () => {
      const client = await Client.open(wsUrl);
      client.socket.send('not json');
      client.socket.send(JSON.stringify({ id: 'x1', params: {} }));
      client.socket.send(JSON.stringify({ id: 'x2', op: 'books.burn' }));
      client.socket.send(JSON.stringify([1, 2]));
      await client.until(() => client.replies.length >= 4);
      expect(client.replies.map((r) => r.error.code)).toEqual([
        'BAD_REQUEST',
        'BAD_REQUEST',
        'BAD_REQUEST',
        'BAD_REQUEST',
      ]);
      expect(client.replies.find((r) => r.id === 'x2').error.message).toContain('unknown op');
      expect((await client.request('authors.list', {})).result).toBeDefined();
      expect(client.closed).toBeUndefined();
      client.close();
    });

    it('RFC6455-§7.4.1 closes with 1009 on a frame over 1 MiB, and takes one just under', async () => {
      const client = await Client.open(wsUrl);
      const under = JSON.stringify({
        id: 'u',
        op: 'authors.list',
        params: {},
        pad: 'x'.repeat(1024 * 1024 - 200),
      });
      client.socket.send(under);
      await client.until(() => client.replies.some((r) => r.id === 'u'));
      client.socket.send('x'.repeat(1024 * 1024 + 1));
      await client.until(() => client.closed !== undefined);
      expect(client.closed!.code).toBe(1009);
    });
  });

  describe('idempotencyKey', () => {
    it('replays a write sent again on another connection: the same result, the stock changed once', async () => {
      const book = await newBook({ stock: 5 });
      const params = { id: book.id, delta: 2 };
      const first = await writer.request('books.adjustStock', params, { idempotencyKey: 'ws-1' });
      const other = await Client.open(wsUrl, bearer);
      try {
        const repeat = await other.request('books.adjustStock', params, {
          idempotencyKey: 'ws-1',
        });
        expect(first.result).toMatchObject({ stock: 7 });
        expect(repeat.result).toEqual(first.result);
      } finally {
        other.close();
      }
      expect((await writer.result('books.get', { id: book.id })).stock).toBe(7);
    });

    it('answers CONFLICT for the key with other params, BAD_REQUEST for a key that is not a string', async () => {
      const book = await newBook({ stock: 5 });
      await writer.request(
        'books.adjustStock',
        { id: book.id, delta: 1 },
        { idempotencyKey: 'ws-2' },
      );
      const reused = await writer.request(
        'books.adjustStock',
        { id: book.id, delta: 3 },
        { idempotencyKey: 'ws-2' },
      );
      expect(reused.error).toMatchObject({
        code: 'CONFLICT',
        details: [{ path: 'idempotencyKey', message: expect.any(String) }],
      });
      const numeric = await writer.request(
        'books.adjustStock',
        { id: book.id, delta: 1 },
        { idempotencyKey: 7 },
      );
      expect(numeric.error.code).toBe('BAD_REQUEST');
      expect((await writer.result('books.get', { id: book.id })).stock).toBe(6);
    });
  });

  describe('subscriptions', () => {
    it('answers subscribe with the topics and the latest seq, then pushes live events', async () => {
      const subscriber = await Client.open(wsUrl);
      const result = await subscriber.result('subscribe', { topics: ['authors'] });
      expect(result).toEqual({ topics: ['authors'], seq: expect.any(Number) });
      const author = await writer.result('authors.create', { name: 'Live' });
      await subscriber.until(() => subscriber.pushes.length === 1);
      expect(subscriber.pushes[0]).toEqual({
        event: 'author.created',
        topic: 'authors',
        seq: result.seq + 1,
        occurredAt: author.createdAt,
        data: author,
      });
      subscriber.close();
    });

    it('replays from since, then goes live, in seq order without gaps or duplicates while writes race the replay', async () => {
      for (let i = 0; i < 30; i++) await writer.result('authors.create', { name: `before ${i}` });
      const subscriber = await Client.open(wsUrl);
      const { seq } = await subscriber.result('subscribe', {
        topics: ['authors', 'books', 'stock', 'orders'],
        since: 0,
      });
      const racing = Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          writer.result('authors.create', { name: `during ${i}` }),
        ),
      );
      await racing;
      const total = seq + 20;
      await subscriber.until(() => subscriber.pushes.length >= total);
      expect(subscriber.pushes.map((p) => p.seq)).toEqual(
        Array.from({ length: total }, (_, i) => i + 1),
      );
      subscriber.close();
    });

    it('pushes one book’s events on book:<id>, and stops after unsubscribe', async () => {
      const book = await newBook();
      const subscriber = await Client.open(wsUrl);
      await subscriber.result('subscribe', { topics: [`book:${book.id}`] });
      await writer.result('books.adjustStock', { id: book.id, delta: 2 });
      await subscriber.until(() => subscriber.pushes.length === 1);
      expect(subscriber.pushes[0]).toMatchObject({
        event: 'stock.changed',
        topic: `book:${book.id}`,
        data: { bookId: book.id, stock: 7, delta: 2, reason: 'adjustment' },
      });
      expect(await subscriber.result('unsubscribe', { topics: [`book:${book.id}`] })).toEqual({
        topics: [],
      });
      await writer.result('books.adjustStock', { id: book.id, delta: 1 });
      await subscriber.result('authors.list', {});
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(subscriber.pushes).toHaveLength(1);
      subscriber.close();
    });

    it('adds topics with a second subscribe without pushing anything twice', async () => {
      const subscriber = await Client.open(wsUrl);
      const { seq } = await subscriber.result('subscribe', { topics: ['authors'] });
      await writer.result('authors.create', { name: 'first' });
      await subscriber.until(() => subscriber.pushes.length === 1);
      await subscriber.result('subscribe', { topics: ['books'], since: seq });
      const book = await newBook();
      await subscriber.until(() =>
        subscriber.pushes.some((p) => p.event === 'book.created' && p.data.id === book.id),
      );
      const seqs = subscriber.pushes.map((p) => p.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      subscriber.close();
    });

    it('refuses unknown topics with VALIDATION_FAILED', async () => {
      const subscriber = await Client.open(wsUrl);
      expect((await subscriber.request('subscribe', { topics: ['nope'] })).error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ path: 'topics[0]', message: expect.any(String) }],
      });
      subscriber.close();
    });
  });

  describe('the AsyncAPI document', () => {
    it('is served at /asyncapi.json and names every op this gateway answers', async () => {
      const document = (await (await fetch(`${service.url}/asyncapi.json`)).json()) as any;
      expect(document.asyncapi).toBe('3.0.0');
      const ops: string[] = Object.values<any>(document.channels.bookshop.messages)
        .map((m) => m.payload?.properties?.op?.const)
        .filter(Boolean);
      expect(ops).toHaveLength(15);
      const client = await Client.open(wsUrl);
      for (const op of ops.filter((name) => name !== 'auth')) {
        const reply = await client.request(op, {});
        expect(JSON.stringify(reply)).not.toContain('unknown op');
      }
      client.close();
    });
  });
});

describe('WebSocket connections under stress', () => {
  it('RFC6455-§7.4.1 closes a slow consumer with 1008 once its unsent bytes pass the limit', async () => {
    const { service, wsUrl } = await startWebsocket({ WS_MAX_BUFFERED_BYTES: String(64 * 1024) });
    const writer = await Client.open(wsUrl, bearer);
    const slow = await Client.open(wsUrl);
    await slow.result('subscribe', { topics: ['authors'] });
    // The slow client stops reading; the kernel's buffers fill, then the server's.
    slow.socket.pause();
    const bio = 'b'.repeat(2000);
    for (let round = 0; round < 40; round++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          writer.result('authors.create', { name: `load ${round}-${i}`, bio }),
        ),
      );
      if (service.logs.some((entry) => entry['event'] === 'slow-consumer')) break;
    }
    expect(service.logs.some((entry) => entry['event'] === 'slow-consumer')).toBe(true);
    slow.socket.resume();
    await slow.until(() => slow.closed !== undefined, 30_000);
    expect(slow.closed!.code).toBe(1008);
    expect(slow.closed!.reason).toContain('slow consumer');
    writer.close();
    await service.stop();
  });

  it('RFC6455-§5.5.2 drops a peer that does not answer pings, and keeps one that does', async () => {
    const { service, wsUrl } = await startWebsocket({ WS_HEARTBEAT_MS: '200' });
    const dead = await Client.open(wsUrl, { autoPong: false });
    const alive = await Client.open(wsUrl);
    await dead.until(() => dead.closed !== undefined, 5_000);
    expect(dead.closed!.code).toBe(1006);
    expect(alive.closed).toBeUndefined();
    expect((await alive.request('authors.list', {})).result).toBeDefined();
    alive.close();
    await service.stop();
  });

  it('RFC6455-§7.4.1 closes clients with 1001 when it shuts down', async () => {
    const { service, wsUrl } = await startWebsocket();
    const client = await Client.open(wsUrl);
    await client.result('subscribe', { topics: ['books'] });
    const exit = service.stop('SIGTERM');
    await client.until(() => client.closed !== undefined);
    expect(client.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(await exit).toBe(0);
  });
});

describe('the drain on SIGTERM', () => {
  it('RFC6455-§7.4.1 answers every request it read before the 1001, and runs none it did not answer', async () => {
    const { service, wsUrl, databaseUrl } = await startWebsocket();
    const client = await Client.open(wsUrl, bearer);
    const marker = `Drained ${Date.now()}`;
    // More than run at once (WS_MAX_IN_FLIGHT, 32): some may wait unread when the signal comes.
    for (let i = 0; i < 40; i++) void client.request('authors.create', { name: `${marker} ${i}` });
    const exit = service.stop('SIGTERM');
    await client.until(() => client.closed !== undefined);
    expect(client.closed).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(await exit).toBe(0);
    const answered = client.replies.map((reply) => reply.result?.name as string);

    // What the database holds: exactly the writes that were answered.
    const again = await startWebsocket({}, databaseUrl);
    const reader = await Client.open(again.wsUrl);
    const names = (await reader.result('authors.list', { limit: 100 })).items
      .map((author: { name: string }) => author.name)
      .filter((name: string) => name.startsWith(marker));
    expect(names.sort()).toEqual([...answered].sort());
    reader.close();
    await again.service.stop();
  });
});

describe('two instances on one database', () => {
  it('each pushes every event to its own subscribers, whichever process made the change', async () => {
    const one = await startWebsocket();
    const two = await startWebsocket({}, one.databaseUrl);
    const subscribers = [await Client.open(one.wsUrl), await Client.open(two.wsUrl)];
    for (const subscriber of subscribers)
      await subscriber.result('subscribe', { topics: ['authors'] });
    const writers = [await Client.open(one.wsUrl, bearer), await Client.open(two.wsUrl, bearer)];
    for (let i = 0; i < 10; i++)
      await writers[i % 2]!.result('authors.create', { name: `fan-out ${i}` });
    for (const subscriber of subscribers) {
      await subscriber.until(() => subscriber.pushes.length === 10);
      expect(subscriber.pushes.map((p) => p.data.name)).toEqual(
        Array.from({ length: 10 }, (_, i) => `fan-out ${i}`),
      );
    }
    [...subscribers, ...writers].forEach((client) => client.close());
    await Promise.all([one.service.stop(), two.service.stop()]);
  });
});
