import { type Bookshop } from './bookshop';
import { canonicalJson, inputDigest } from './idempotency';
import { aBook, anAuthor, inMemoryBookshop, type InMemoryStore, rejectionOf } from './testing';

describe('idempotency keys', () => {
  let bookshop: Bookshop;
  let store: InMemoryStore;
  const owner = 'owner-a';

  beforeEach(() => {
    ({ bookshop, store } = inMemoryBookshop());
  });

  const aBookWithStock = async (stock: number) => {
    const author = await bookshop.execute('authors.create', anAuthor());
    return bookshop.execute('books.create', aBook(author.id, { stock }));
  };

  it('runs a write once: the repeat gets the recorded result, replayed, and changes nothing', async () => {
    const book = await aBookWithStock(5);
    const input = { lines: [{ bookId: book.id, quantity: 2 }] };
    const first = await bookshop.executeOnce('orders.place', input, { key: 'k-1', owner });
    const events = store.events.length;
    const repeat = await bookshop.executeOnce('orders.place', input, { key: 'k-1', owner });

    expect(first.replayed).toBe(false);
    expect(repeat).toEqual({ result: first.result, replayed: true });
    expect((await bookshop.execute('books.get', { id: book.id })).stock).toBe(3);
    expect(store.events).toHaveLength(events);
  });

  it('compares the normalised input: another spelling of the same input is a repeat', async () => {
    const author = await bookshop.execute('authors.create', anAuthor());
    const input = aBook(author.id, { isbn: '978-0-306-40615-7' });
    const first = await bookshop.execute('books.create', input, { key: 'isbn', owner });
    const repeat = await bookshop.executeOnce(
      'books.create',
      { ...input, isbn: '9780306406157', title: ` ${input.title} ` },
      { key: 'isbn', owner },
    );
    expect(repeat).toEqual({ result: first, replayed: true });
  });

  it('refuses the key with another input or another operation with CONFLICT, and changes nothing', async () => {
    const book = await aBookWithStock(5);
    await bookshop.execute('books.adjustStock', { id: book.id, delta: 1 }, { key: 'k', owner });

    const otherInput = await rejectionOf(
      bookshop.execute('books.adjustStock', { id: book.id, delta: 2 }, { key: 'k', owner }),
    );
    const otherOperation = await rejectionOf(
      bookshop.execute(
        'orders.place',
        { lines: [{ bookId: book.id, quantity: 1 }] },
        { key: 'k', owner },
      ),
    );

    for (const error of [otherInput, otherOperation]) {
      expect(error.code).toBe('CONFLICT');
      expect(error.details).toEqual([{ path: 'idempotencyKey', message: expect.any(String) }]);
    }
    expect((await bookshop.execute('books.get', { id: book.id })).stock).toBe(6);
  });

  it('keeps owners apart: the same key under another API key is another write', async () => {
    const book = await aBookWithStock(5);
    await bookshop.execute('books.adjustStock', { id: book.id, delta: 1 }, { key: 'k', owner });
    const other = await bookshop.executeOnce(
      'books.adjustStock',
      { id: book.id, delta: 1 },
      { key: 'k', owner: 'owner-b' },
    );
    expect(other.replayed).toBe(false);
    expect(other.result.stock).toBe(7);
  });

  it('records no failure: a write that failed may be retried with its key', async () => {
    const book = await aBookWithStock(1);
    const input = { lines: [{ bookId: book.id, quantity: 2 }] };
    expect(
      (await rejectionOf(bookshop.execute('orders.place', input, { key: 'retry', owner }))).code,
    ).toBe('OUT_OF_STOCK');
    await bookshop.execute('books.adjustStock', { id: book.id, delta: 1 });

    const retried = await bookshop.executeOnce('orders.place', input, { key: 'retry', owner });
    expect(retried.replayed).toBe(false);
    expect(retried.result.status).toBe('PLACED');
  });

  it('replays a write whose repeat would now fail: a cancel, a delete', async () => {
    const book = await aBookWithStock(3);
    const order = await bookshop.execute('orders.place', {
      lines: [{ bookId: book.id, quantity: 1 }],
    });
    const cancel = await bookshop.execute('orders.cancel', { id: order.id }, { key: 'c', owner });
    expect(
      await bookshop.executeOnce('orders.cancel', { id: order.id }, { key: 'c', owner }),
    ).toEqual({ result: cancel, replayed: true });

    const spare = await aBookWithStock(0);
    await bookshop.execute('books.delete', { id: spare.id }, { key: 'd', owner });
    expect(
      await bookshop.executeOnce('books.delete', { id: spare.id }, { key: 'd', owner }),
    ).toEqual({ result: { id: spare.id }, replayed: true });
  });

  it('checks the input before the key, and the key before anything runs', async () => {
    expect(
      (
        await rejectionOf(
          bookshop.execute('books.adjustStock', { id: 'x', delta: 0 }, { key: 'k', owner }),
        )
      ).code,
    ).toBe('VALIDATION_FAILED');
    for (const key of ['', 'has space', 'é', 'x'.repeat(256)]) {
      const error = await rejectionOf(
        bookshop.execute('authors.create', anAuthor(), { key, owner }),
      );
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual([{ path: 'idempotencyKey', message: expect.any(String) }]);
    }
    expect(store.events).toHaveLength(0);
    await bookshop.execute('authors.create', anAuthor(), { key: 'x'.repeat(255), owner });
  });

  it('keys a call within a request apart from the request itself', async () => {
    const book = await aBookWithStock(5);
    const keyed = (call?: string) =>
      bookshop.executeOnce(
        'books.adjustStock',
        { id: book.id, delta: 1 },
        { key: 'b', owner, call },
      );
    expect((await keyed('1')).replayed).toBe(false);
    expect((await keyed('2')).replayed).toBe(false);
    expect((await keyed('1')).replayed).toBe(true);
    expect((await keyed()).replayed).toBe(false);
  });

  it('lets a read ignore the key', async () => {
    const book = await aBookWithStock(5);
    const read = await bookshop.executeOnce('books.get', { id: book.id }, { key: 'r', owner });
    expect(read).toEqual({ result: book, replayed: false });
  });

  it('digests inputs by their canonical JSON: member order does not matter, values do', async () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }], e: undefined })).toBe(
      '{"a":[{"c":"x","d":null}],"b":1}',
    );
    expect(await inputDigest({ a: 1, b: 2 })).toBe(await inputDigest({ b: 2, a: 1 }));
    expect(await inputDigest({ a: 1 })).not.toBe(await inputDigest({ a: '1' }));
    expect(await inputDigest({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});
