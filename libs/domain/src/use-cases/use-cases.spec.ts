import { type Bookshop } from '../bookshop';
import { catalogue, OPERATION_NAMES } from '../catalogue';
import { demoAuthors, demoBooks } from '../demo-catalogue';
import { type Book } from '../model';
import { authorSchema, bookSchema, createAuthorInput, createBookInput } from '../schemas';
import { aBook, anAuthor, inMemoryBookshop, type InMemoryStore, rejectionOf } from '../testing';

const MISSING = '00000000-0000-4000-8000-999999999999';

describe('the use cases', () => {
  let bookshop: Bookshop;
  let store: InMemoryStore;

  beforeEach(() => {
    ({ bookshop, store } = inMemoryBookshop());
  });

  const author = () => bookshop.execute('authors.create', anAuthor());
  const book = async (overrides: Record<string, unknown> = {}): Promise<Book> =>
    bookshop.execute('books.create', aBook((await author()).id, overrides));

  describe('the catalogue', () => {
    it('names all twelve operations of the contract', () => {
      expect(OPERATION_NAMES).toHaveLength(12);
      expect(OPERATION_NAMES.filter((name) => catalogue[name].writes)).toEqual([
        'authors.create',
        'books.create',
        'books.update',
        'books.delete',
        'books.adjustStock',
        'orders.place',
        'orders.cancel',
      ]);
    });

    it('ships a demo catalogue that obeys every rule', () => {
      for (const a of demoAuthors) {
        expect(() => authorSchema.parse(a)).not.toThrow();
        expect(createAuthorInput.safeParse({ name: a.name, bio: a.bio }).success).toBe(true);
      }
      for (const b of demoBooks) {
        expect(() => bookSchema.parse(b)).not.toThrow();
        const { title, authorId, isbn, priceCents, stock } = b;
        expect(createBookInput.parse({ title, authorId, isbn, priceCents, stock }).isbn).toBe(
          b.isbn,
        );
        expect(demoAuthors.map((a) => a.id)).toContain(b.authorId);
      }
    });
  });

  describe('authors', () => {
    it('creates an author and records author.created', async () => {
      const created = await author();
      expect(created).toMatchObject({ name: 'Ada Writer', bio: 'Writes things.' });
      expect(store.events).toEqual([
        expect.objectContaining({ seq: 1, type: 'author.created', data: created }),
      ]);
      expect(await bookshop.execute('authors.get', { id: created.id })).toEqual(created);
    });

    it('answers NOT_FOUND for a missing or malformed id', async () => {
      expect((await rejectionOf(bookshop.execute('authors.get', { id: MISSING }))).code).toBe(
        'NOT_FOUND',
      );
      expect((await rejectionOf(bookshop.execute('authors.get', { id: 'nope' }))).code).toBe(
        'NOT_FOUND',
      );
    });

    it('lists by creation time, a page at a time', async () => {
      const created = [];
      for (let i = 0; i < 5; i++)
        created.push(await bookshop.execute('authors.create', { name: `A${i}` }));
      const first = await bookshop.execute('authors.list', { limit: 2 });
      expect(first.items.map((a) => a.name)).toEqual(['A0', 'A1']);
      expect(first.nextCursor).not.toBeNull();
      const second = await bookshop.execute('authors.list', {
        limit: 2,
        cursor: first.nextCursor!,
      });
      expect(second.items.map((a) => a.name)).toEqual(['A2', 'A3']);
      const last = await bookshop.execute('authors.list', { limit: 2, cursor: second.nextCursor! });
      expect(last).toEqual({ items: [created[4]], nextCursor: null });
    });

    it('pages 20 at a time by default', async () => {
      for (let i = 0; i < 21; i++) await bookshop.execute('authors.create', { name: `A${i}` });
      expect((await bookshop.execute('authors.list', {})).items).toHaveLength(20);
    });
  });

  describe('books', () => {
    it('creates a book at version 1 with stock 0 by default', async () => {
      const a = await author();
      const created = await bookshop.execute('books.create', {
        title: ' Dune ',
        authorId: a.id,
        isbn: '978-0-441-47812-5',
        priceCents: 999,
      });
      expect(created).toMatchObject({ title: 'Dune', isbn: '9780441478125', stock: 0, version: 1 });
      expect(created.createdAt).toBe(created.updatedAt);
    });

    it('refuses a book whose author does not exist, at authorId', async () => {
      for (const authorId of [MISSING, 'not-a-uuid']) {
        const error = await rejectionOf(bookshop.execute('books.create', aBook(authorId)));
        expect(error.code).toBe('VALIDATION_FAILED');
        expect(error.details).toEqual([{ path: 'authorId', message: 'no author has this id' }]);
      }
      expect(store.events).toEqual([]);
    });

    it('refuses a second book with the same ISBN', async () => {
      const first = await book();
      const error = await rejectionOf(
        bookshop.execute('books.create', aBook(first.authorId, { isbn: first.isbn })),
      );
      expect(error.code).toBe('CONFLICT');
      expect(error.details).toEqual([{ path: 'isbn', message: 'is already taken' }]);
    });

    it('filters by author and by title text, case-insensitively', async () => {
      const a = await author();
      const b = await author();
      await bookshop.execute('books.create', aBook(a.id, { title: 'The Dispossessed' }));
      await bookshop.execute('books.create', aBook(a.id, { title: 'Lathe of Heaven' }));
      await bookshop.execute('books.create', aBook(b.id, { title: 'POSSESSION' }));
      const titles = async (input: object) =>
        (await bookshop.execute('books.list', input)).items.map((x) => x.title);
      expect(await titles({ authorId: a.id })).toEqual(['The Dispossessed', 'Lathe of Heaven']);
      expect(await titles({ q: 'possess' })).toEqual(['The Dispossessed', 'POSSESSION']);
      expect(await titles({ authorId: a.id, q: 'POSSESS' })).toEqual(['The Dispossessed']);
      expect(await titles({ authorId: 'not-a-uuid' })).toEqual([]);
    });

    it('updates fields, bumps the version and records book.updated', async () => {
      const created = await book();
      const updated = await bookshop.execute('books.update', { id: created.id, priceCents: 2000 });
      expect(updated).toMatchObject({ priceCents: 2000, version: 2, stock: created.stock });
      expect(store.events.at(-1)).toMatchObject({ type: 'book.updated', data: updated });
    });

    it('fails with CONFLICT on a stale expectedVersion and changes nothing', async () => {
      const created = await book();
      await bookshop.execute('books.update', { id: created.id, title: 'New' });
      const events = store.events.length;
      const error = await rejectionOf(
        bookshop.execute('books.update', { id: created.id, title: 'Newer', expectedVersion: 1 }),
      );
      expect(error.code).toBe('CONFLICT');
      expect(error.details).toEqual([{ path: 'expectedVersion', message: 'current version is 2' }]);
      expect(await bookshop.execute('books.get', { id: created.id })).toMatchObject({
        title: 'New',
        version: 2,
      });
      expect(store.events).toHaveLength(events);
    });

    it('accepts the current expectedVersion', async () => {
      const created = await book();
      const updated = await bookshop.execute('books.update', {
        id: created.id,
        title: 'X',
        expectedVersion: 1,
      });
      expect(updated.version).toBe(2);
    });

    it('checks a changed author and a changed ISBN', async () => {
      const first = await book();
      const second = await book();
      expect(
        (await rejectionOf(bookshop.execute('books.update', { id: first.id, authorId: MISSING })))
          .details,
      ).toEqual([{ path: 'authorId', message: 'no author has this id' }]);
      expect(
        (await rejectionOf(bookshop.execute('books.update', { id: first.id, isbn: second.isbn })))
          .code,
      ).toBe('CONFLICT');
    });

    it('answers NOT_FOUND when updating, deleting or adjusting a missing book', async () => {
      for (const id of [MISSING, 'x']) {
        expect((await rejectionOf(bookshop.execute('books.update', { id, title: 'T' }))).code).toBe(
          'NOT_FOUND',
        );
        expect((await rejectionOf(bookshop.execute('books.delete', { id }))).code).toBe(
          'NOT_FOUND',
        );
        expect(
          (await rejectionOf(bookshop.execute('books.adjustStock', { id, delta: 1 }))).code,
        ).toBe('NOT_FOUND');
        expect((await rejectionOf(bookshop.execute('books.get', { id }))).code).toBe('NOT_FOUND');
      }
    });

    it('deletes a book no order references and records book.deleted', async () => {
      const created = await book();
      expect(await bookshop.execute('books.delete', { id: created.id })).toEqual({
        id: created.id,
      });
      expect(store.events.at(-1)).toMatchObject({ type: 'book.deleted', data: { id: created.id } });
      expect((await rejectionOf(bookshop.execute('books.get', { id: created.id }))).code).toBe(
        'NOT_FOUND',
      );
    });

    it('refuses to delete a book that an order references, even a cancelled one', async () => {
      const created = await book();
      const order = await bookshop.execute('orders.place', {
        lines: [{ bookId: created.id, quantity: 1 }],
      });
      await bookshop.execute('orders.cancel', { id: order.id });
      const error = await rejectionOf(bookshop.execute('books.delete', { id: created.id }));
      expect(error.code).toBe('CONFLICT');
      expect(await bookshop.execute('books.get', { id: created.id })).toBeDefined();
    });
  });

  describe('stock adjustments', () => {
    it('adds and takes stock, bumping the version, and records stock.changed', async () => {
      const created = await book({ stock: 5 });
      const after = await bookshop.execute('books.adjustStock', { id: created.id, delta: -5 });
      expect(after).toMatchObject({ stock: 0, version: 2 });
      expect(store.events.at(-1)).toMatchObject({
        type: 'stock.changed',
        data: { bookId: created.id, stock: 0, delta: -5, reason: 'adjustment' },
      });
    });

    it('fails with OUT_OF_STOCK below zero, with the shortage', async () => {
      const created = await book({ stock: 2 });
      const error = await rejectionOf(
        bookshop.execute('books.adjustStock', { id: created.id, delta: -3 }),
      );
      expect(error.code).toBe('OUT_OF_STOCK');
      expect(error.details).toEqual([{ bookId: created.id, requested: 3, available: 2 }]);
    });

    it('refuses to raise stock over 1 000 000', async () => {
      const created = await book({ stock: 1_000_000 });
      const error = await rejectionOf(
        bookshop.execute('books.adjustStock', { id: created.id, delta: 1 }),
      );
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual([
        { path: 'delta', message: 'stock would exceed 1000000 (it is 1000000)' },
      ]);
    });
  });

  describe('orders', () => {
    it('takes every line from stock at the current price and records the events', async () => {
      const one = await book({ stock: 3, priceCents: 1000 });
      const two = await book({ stock: 1, priceCents: 250 });
      const order = await bookshop.execute('orders.place', {
        lines: [
          { bookId: one.id, quantity: 2 },
          { bookId: two.id, quantity: 1 },
        ],
      });
      expect(order).toMatchObject({
        status: 'PLACED',
        totalCents: 2250,
        lines: [
          { bookId: one.id, quantity: 2, unitPriceCents: 1000 },
          { bookId: two.id, quantity: 1, unitPriceCents: 250 },
        ],
      });
      expect(await bookshop.execute('books.get', { id: one.id })).toMatchObject({
        stock: 1,
        version: 2,
      });
      expect(store.events.slice(-3).map((e) => e.type)).toEqual([
        'stock.changed',
        'stock.changed',
        'order.placed',
      ]);
      expect(await bookshop.execute('orders.get', { id: order.id })).toEqual(order);
    });

    it('keeps the price at the time of ordering', async () => {
      const created = await book({ priceCents: 1000 });
      const order = await bookshop.execute('orders.place', {
        lines: [{ bookId: created.id, quantity: 1 }],
      });
      await bookshop.execute('books.update', { id: created.id, priceCents: 5000 });
      expect(
        (await bookshop.execute('orders.get', { id: order.id })).lines[0]?.unitPriceCents,
      ).toBe(1000);
    });

    it('fails with OUT_OF_STOCK listing every short line and changes nothing', async () => {
      const plenty = await book({ stock: 10 });
      const short1 = await book({ stock: 1 });
      const short2 = await book({ stock: 0 });
      const events = store.events.length;
      const error = await rejectionOf(
        bookshop.execute('orders.place', {
          lines: [
            { bookId: short2.id, quantity: 1 },
            { bookId: plenty.id, quantity: 5 },
            { bookId: short1.id, quantity: 2 },
          ],
        }),
      );
      expect(error.code).toBe('OUT_OF_STOCK');
      expect(error.details).toEqual([
        { bookId: short2.id, requested: 1, available: 0 },
        { bookId: short1.id, requested: 2, available: 1 },
      ]);
      expect((await bookshop.execute('books.get', { id: plenty.id })).stock).toBe(10);
      expect(store.events).toHaveLength(events);
    });

    it('names missing books by line as VALIDATION_FAILED', async () => {
      const created = await book();
      const error = await rejectionOf(
        bookshop.execute('orders.place', {
          lines: [
            { bookId: created.id, quantity: 1 },
            { bookId: MISSING, quantity: 1 },
            { bookId: 'garbage', quantity: 1 },
          ],
        }),
      );
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toEqual([
        { path: 'lines[1].bookId', message: 'no book has this id' },
        { path: 'lines[2].bookId', message: 'no book has this id' },
      ]);
    });

    it('sells the last copy to exactly one of two orders', async () => {
      const created = await book({ stock: 1 });
      const results = await Promise.allSettled([
        bookshop.execute('orders.place', { lines: [{ bookId: created.id, quantity: 1 }] }),
        bookshop.execute('orders.place', { lines: [{ bookId: created.id, quantity: 1 }] }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await bookshop.execute('books.get', { id: created.id })).stock).toBe(0);
    });

    it('cancels an order, puts the stock back and records the events', async () => {
      const created = await book({ stock: 4 });
      const order = await bookshop.execute('orders.place', {
        lines: [{ bookId: created.id, quantity: 3 }],
      });
      const cancelled = await bookshop.execute('orders.cancel', { id: order.id });
      expect(cancelled).toEqual({ ...order, status: 'CANCELLED' });
      expect((await bookshop.execute('books.get', { id: created.id })).stock).toBe(4);
      expect(store.events.slice(-2)).toMatchObject([
        {
          type: 'stock.changed',
          data: { bookId: created.id, stock: 4, delta: 3, reason: 'cancel' },
        },
        { type: 'order.cancelled', data: cancelled },
      ]);
    });

    it('fails with CONFLICT when cancelling a cancelled order', async () => {
      const created = await book();
      const order = await bookshop.execute('orders.place', {
        lines: [{ bookId: created.id, quantity: 1 }],
      });
      await bookshop.execute('orders.cancel', { id: order.id });
      expect((await rejectionOf(bookshop.execute('orders.cancel', { id: order.id }))).code).toBe(
        'CONFLICT',
      );
      expect((await bookshop.execute('books.get', { id: created.id })).stock).toBe(10);
    });

    it('answers NOT_FOUND for a missing order', async () => {
      expect((await rejectionOf(bookshop.execute('orders.get', { id: MISSING }))).code).toBe(
        'NOT_FOUND',
      );
      expect((await rejectionOf(bookshop.execute('orders.cancel', { id: 'x' }))).code).toBe(
        'NOT_FOUND',
      );
    });
  });

  it('numbers events with a strictly increasing seq', async () => {
    await book();
    await book();
    expect(store.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });
});
