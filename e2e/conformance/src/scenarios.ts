import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { BookshopClient } from '@bookshop/clients';
import type { Book } from '@bookshop/domain';
import { savedAuthor, savedBook } from '@bookshop/testing';
import { type Callers, fails, type Outcome, outcome, short, uniqueIsbn } from './support';

/**
 * One rule of CONTRACT.md, checked through one protocol's client. `run` does
 * everything through that protocol (setting up included) and reports what it
 * saw in protocol-neutral terms; the suite runs it for every protocol and
 * expects `expected` from each, so "identical on all five" is one assertion.
 * docs/conformance.md lists the same ids.
 */
export interface Scenario {
  id: string;
  /** The rule, as the contract states it. */
  rule: string;
  expected: Record<string, unknown>;
  run(callers: Callers): Promise<Record<string, unknown>>;
}

const hyphenated = (isbn: string) => `${isbn.slice(0, 3)}-${isbn.slice(3, 4)}-${isbn.slice(4)}`;
const badChecksum = (isbn: string) => `${isbn.slice(0, 12)}${(Number(isbn[12]) + 1) % 10}`;

async function stockOf(client: BookshopClient, ...books: Book[]): Promise<number[]> {
  return Promise.all(books.map(async ({ id }) => (await client.getBook({ id })).stock));
}

export const SCENARIOS: Scenario[] = [
  {
    id: 'authors.create',
    rule: 'An author is created with its name trimmed; `bio` is optional and reads back as null; a read returns what the create returned',
    expected: { name: 'Ursula', bio: 'Wrote Earthsea', noBio: null, readBack: true },
    async run({ writer }) {
      const created = await writer.createAuthor({ name: '  Ursula  ', bio: 'Wrote Earthsea' });
      const bare = await writer.createAuthor({ name: 'No Bio' });
      const read = await writer.getAuthor({ id: created.id });
      return {
        name: created.name,
        bio: created.bio,
        noBio: bare.bio,
        readBack: isDeepStrictEqual(read, created),
      };
    },
  },
  {
    id: 'authors.validation',
    rule: 'Author name is 1–200 characters after trimming and bio at most 2000: each breach is VALIDATION_FAILED with its path',
    expected: {
      blank: fails('VALIDATION_FAILED', ['name']),
      long: fails('VALIDATION_FAILED', ['name']),
      longBio: fails('VALIDATION_FAILED', ['bio']),
    },
    async run({ writer }) {
      return {
        blank: await outcome(writer.createAuthor({ name: '   ' })),
        long: await outcome(writer.createAuthor({ name: 'n'.repeat(201) })),
        longBio: await outcome(writer.createAuthor({ name: 'Bio', bio: 'b'.repeat(2001) })),
      };
    },
  },
  {
    id: 'lists.paging',
    rule: 'Lists page by `limit` (1–100) and an opaque cursor, oldest first, without gap or repeat; `nextCursor` is null on the last page; a bad limit or cursor is VALIDATION_FAILED',
    expected: {
      pages: [['A', 'B'], ['C']],
      lastCursor: null,
      limitZero: fails('VALIDATION_FAILED', ['limit']),
      limitOver: fails('VALIDATION_FAILED', ['limit']),
      cursor: fails('VALIDATION_FAILED', ['cursor']),
    },
    async run({ writer, reader }) {
      const author = await savedAuthor(writer);
      for (const title of ['A', 'B', 'C']) await savedBook(writer, { title, authorId: author.id });
      const first = await reader.listBooks({ authorId: author.id, limit: 2 });
      const second = await reader.listBooks({
        authorId: author.id,
        limit: 2,
        cursor: first.nextCursor ?? undefined,
      });
      return {
        pages: [first.items.map((b) => b.title), second.items.map((b) => b.title)],
        lastCursor: second.nextCursor,
        limitZero: await outcome(reader.listAuthors({ limit: 0 })),
        limitOver: await outcome(reader.listBooks({ limit: 101 })),
        cursor: await outcome(reader.listAuthors({ cursor: 'not-a-cursor' })),
      };
    },
  },
  {
    id: 'books.create',
    rule: 'A book is created with its title trimmed, its ISBN stored as 13 digits, stock 0 when omitted and version 1; a read returns what the create returned',
    expected: { title: 'Dune', isbnDigits: true, stock: 0, version: 1, readBack: true },
    async run({ writer }) {
      const isbn = uniqueIsbn();
      const book = await writer.createBook({
        title: '  Dune ',
        authorId: (await savedAuthor(writer)).id,
        isbn: hyphenated(isbn),
        priceCents: 999,
      });
      return {
        title: book.title,
        isbnDigits: book.isbn === isbn,
        stock: book.stock,
        version: book.version,
        readBack: isDeepStrictEqual(await writer.getBook({ id: book.id }), book),
      };
    },
  },
  {
    id: 'books.validation',
    rule: 'Title 1–300 characters, ISBN-13 with a valid checksum, priceCents 0–10 000 000 and stock 0–1 000 000: every breach is reported at once, each with its path',
    expected: {
      all: fails('VALIDATION_FAILED', ['title', 'isbn', 'priceCents', 'stock']),
      longTitle: fails('VALIDATION_FAILED', ['title']),
      dearest: fails('VALIDATION_FAILED', ['priceCents']),
    },
    async run({ writer }) {
      const authorId = (await savedAuthor(writer)).id;
      const book = { authorId, title: 'T', isbn: uniqueIsbn(), priceCents: 1 };
      return {
        all: await outcome(
          writer.createBook({
            authorId,
            title: ' ',
            isbn: badChecksum(uniqueIsbn()),
            priceCents: -1,
            stock: 1_000_001,
          }),
        ),
        longTitle: await outcome(writer.createBook({ ...book, title: 't'.repeat(301) })),
        dearest: await outcome(writer.createBook({ ...book, priceCents: 10_000_001 })),
      };
    },
  },
  {
    id: 'books.author-reference',
    rule: 'A book’s author must exist: an unknown or malformed `authorId` is VALIDATION_FAILED at `authorId`, not NOT_FOUND',
    expected: {
      unknown: fails('VALIDATION_FAILED', ['authorId']),
      malformed: fails('VALIDATION_FAILED', ['authorId']),
      onUpdate: fails('VALIDATION_FAILED', ['authorId']),
    },
    async run({ writer }) {
      const book = { title: 'T', isbn: uniqueIsbn(), priceCents: 1 };
      const existing = await savedBook(writer);
      return {
        unknown: await outcome(writer.createBook({ ...book, authorId: randomUUID() })),
        malformed: await outcome(writer.createBook({ ...book, authorId: 'not-a-uuid' })),
        onUpdate: await outcome(writer.updateBook({ id: existing.id, authorId: randomUUID() })),
      };
    },
  },
  {
    id: 'books.isbn-unique',
    rule: 'ISBNs are unique, however they are written: a second book with the same ISBN, created or updated to it, is CONFLICT',
    expected: { create: fails('CONFLICT', ['isbn']), update: fails('CONFLICT', ['isbn']) },
    async run({ writer }) {
      const first = await savedBook(writer);
      const other = await savedBook(writer);
      return {
        create: await outcome(savedBook(writer, { isbn: hyphenated(first.isbn) })),
        update: await outcome(writer.updateBook({ id: other.id, isbn: first.isbn })),
      };
    },
  },
  {
    id: 'reads.not-found',
    rule: 'An id that names nothing, malformed or not, is NOT_FOUND when it is the operation’s target (GraphQL queries answer `null`, which the client reports as NOT_FOUND)',
    expected: {
      book: fails('NOT_FOUND'),
      malformedBook: fails('NOT_FOUND'),
      author: fails('NOT_FOUND'),
      order: fails('NOT_FOUND'),
      update: fails('NOT_FOUND'),
      adjust: fails('NOT_FOUND'),
      cancel: fails('NOT_FOUND'),
    },
    async run({ writer, reader }) {
      return {
        book: await outcome(reader.getBook({ id: randomUUID() })),
        malformedBook: await outcome(reader.getBook({ id: 'not-a-uuid' })),
        author: await outcome(reader.getAuthor({ id: randomUUID() })),
        order: await outcome(reader.getOrder({ id: randomUUID() })),
        update: await outcome(writer.updateBook({ id: randomUUID(), title: 'x' })),
        adjust: await outcome(writer.adjustStock({ id: randomUUID(), delta: 1 })),
        cancel: await outcome(writer.cancelOrder({ id: randomUUID() })),
      };
    },
  },
  {
    id: 'books.list-filters',
    rule: '`books.list` filters by `authorId` and by `q`, a case-insensitive substring of the title',
    expected: { byText: ['Alpha Dune', 'beta dune'], byAuthor: 3, otherAuthor: [] },
    async run({ writer, reader }) {
      const author = await savedAuthor(writer);
      for (const title of ['Alpha Dune', 'beta dune', 'Gamma'])
        await savedBook(writer, { title, authorId: author.id });
      const other = await savedAuthor(writer);
      return {
        byText: (await reader.listBooks({ authorId: author.id, q: 'DUNE' })).items.map(
          (b) => b.title,
        ),
        byAuthor: (await reader.listBooks({ authorId: author.id })).items.length,
        otherAuthor: (await reader.listBooks({ authorId: other.id, q: 'dune' })).items,
      };
    },
  },
  {
    id: 'books.update-version',
    rule: '`books.update` bumps `version`; with an `expectedVersion` that is not current it is CONFLICT and changes nothing',
    expected: {
      updated: 2,
      stale: fails('CONFLICT', ['expectedVersion']),
      after: [2, 1000, 'New'],
    },
    async run({ writer }) {
      const book = await savedBook(writer, { priceCents: 1000 });
      const updated = await writer.updateBook({ id: book.id, title: 'New', expectedVersion: 1 });
      const stale = await outcome(
        writer.updateBook({ id: book.id, priceCents: 1, expectedVersion: 1 }),
      );
      const after = await writer.getBook({ id: book.id });
      return {
        updated: updated.version,
        stale,
        after: [after.version, after.priceCents, after.title],
      };
    },
  },
  {
    id: 'books.update-validation',
    rule: 'An update checks what it changes (price range here) and must change something',
    expected: {
      price: fails('VALIDATION_FAILED', ['priceCents']),
      nothing: { code: 'VALIDATION_FAILED' },
      unchanged: 1,
    },
    async run({ writer }) {
      const book = await savedBook(writer);
      const price = await outcome(writer.updateBook({ id: book.id, priceCents: 10_000_001 }));
      const nothing = await outcome(writer.updateBook({ id: book.id }));
      return {
        price,
        nothing: typeof nothing === 'string' ? nothing : { code: nothing.code },
        unchanged: (await writer.getBook({ id: book.id })).version,
      };
    },
  },
  {
    id: 'stock.adjust',
    rule: 'Stock changes only by a non-zero delta of at most ±1 000 000; one that would go below 0 is OUT_OF_STOCK with the shortage; each change bumps `version`',
    expected: {
      added: [5, 2],
      below: short({ bookId: 'book', requested: 6, available: 5 }),
      zero: fails('VALIDATION_FAILED', ['delta']),
      huge: fails('VALIDATION_FAILED', ['delta']),
      after: [5, 2],
    },
    async run({ writer }) {
      const book = await savedBook(writer, { stock: 0 });
      const added = await writer.adjustStock({ id: book.id, delta: 5 });
      const names = { [book.id]: 'book' };
      const result = {
        added: [added.stock, added.version],
        below: await outcome(writer.adjustStock({ id: book.id, delta: -6 }), names),
        zero: await outcome(writer.adjustStock({ id: book.id, delta: 0 })),
        huge: await outcome(writer.adjustStock({ id: book.id, delta: 1_000_001 })),
      };
      const after = await writer.getBook({ id: book.id });
      return { ...result, after: [after.stock, after.version] };
    },
  },
  {
    id: 'orders.place',
    rule: 'An order takes every line from stock, keeps each line’s price at the time of ordering, and totals it; a later price change leaves the order as it was',
    expected: {
      lines: [
        { book: 'a', quantity: 2, unitPriceCents: 700 },
        { book: 'b', quantity: 1, unitPriceCents: 50 },
      ],
      status: 'PLACED',
      totalCents: 1450,
      stock: [1, 0],
      unchangedByReprice: true,
    },
    async run({ writer }) {
      const a = await savedBook(writer, { stock: 3, priceCents: 700 });
      const b = await savedBook(writer, { stock: 1, priceCents: 50 });
      const order = await writer.placeOrder({
        lines: [
          { bookId: a.id, quantity: 2 },
          { bookId: b.id, quantity: 1 },
        ],
      });
      await writer.updateBook({ id: a.id, priceCents: 9 });
      const names: Record<string, string> = { [a.id]: 'a', [b.id]: 'b' };
      return {
        lines: order.lines.map(({ bookId, ...line }) => ({ book: names[bookId], ...line })),
        status: order.status,
        totalCents: order.totalCents,
        stock: await stockOf(writer, a, b),
        unchangedByReprice: isDeepStrictEqual(await writer.getOrder({ id: order.id }), order),
      };
    },
  },
  {
    id: 'orders.atomic',
    rule: 'An order is atomic: if any line asks for more than is in stock it is OUT_OF_STOCK, `details` lists every short line, and no stock moves',
    expected: {
      oneShort: short({ bookId: 'b', requested: 2, available: 1 }),
      bothShort: short(
        { bookId: 'a', requested: 3, available: 2 },
        { bookId: 'b', requested: 5, available: 1 },
      ),
      stock: [2, 1],
      versions: [1, 1],
    },
    async run({ writer }) {
      const a = await savedBook(writer, { stock: 2 });
      const b = await savedBook(writer, { stock: 1 });
      const names = { [a.id]: 'a', [b.id]: 'b' };
      const oneShort = await outcome(
        writer.placeOrder({
          lines: [
            { bookId: a.id, quantity: 2 },
            { bookId: b.id, quantity: 2 },
          ],
        }),
        names,
      );
      const bothShort = await outcome(
        writer.placeOrder({
          lines: [
            { bookId: a.id, quantity: 3 },
            { bookId: b.id, quantity: 5 },
          ],
        }),
        names,
      );
      const after = await Promise.all([a, b].map(({ id }) => writer.getBook({ id })));
      return {
        oneShort,
        bothShort,
        stock: after.map((book) => book.stock),
        versions: after.map((book) => book.version),
      };
    },
  },
  {
    id: 'orders.last-copy',
    rule: 'Two concurrent orders for the last copy: exactly one succeeds',
    expected: { placed: 1, outOfStock: 9, stock: 0 },
    async run({ writer }) {
      const book = await savedBook(writer, { stock: 1 });
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, () =>
          outcome(writer.placeOrder({ lines: [{ bookId: book.id, quantity: 1 }] })),
        ),
      );
      const failed = outcomes.filter((each) => typeof each !== 'string');
      return {
        placed: outcomes.filter((each) => each === 'ok').length,
        outOfStock: failed.filter((each) => each.code === 'OUT_OF_STOCK').length,
        stock: (await writer.getBook({ id: book.id })).stock,
      };
    },
  },
  {
    id: 'orders.validation',
    rule: 'An order has 1–50 lines, each quantity 1–100, no book twice, and every book must exist: each breach is VALIDATION_FAILED with the line’s path',
    expected: {
      empty: fails('VALIDATION_FAILED', ['lines']),
      tooMany: fails('VALIDATION_FAILED', ['lines']),
      zero: fails('VALIDATION_FAILED', ['lines[0].quantity']),
      over: fails('VALIDATION_FAILED', ['lines[1].quantity']),
      twice: fails('VALIDATION_FAILED', ['lines[1].bookId']),
      unknown: fails('VALIDATION_FAILED', ['lines[1].bookId']),
      stock: [5],
    },
    async run({ writer }) {
      const book = await savedBook(writer, { stock: 5 });
      const other = await savedBook(writer, { stock: 5 });
      const line = (bookId: string, quantity = 1) => ({ bookId, quantity });
      return {
        empty: await outcome(writer.placeOrder({ lines: [] })),
        tooMany: await outcome(
          writer.placeOrder({ lines: Array.from({ length: 51 }, () => line(randomUUID())) }),
        ),
        zero: await outcome(writer.placeOrder({ lines: [line(book.id, 0)] })),
        over: await outcome(writer.placeOrder({ lines: [line(book.id), line(other.id, 101)] })),
        twice: await outcome(writer.placeOrder({ lines: [line(book.id), line(book.id)] })),
        unknown: await outcome(writer.placeOrder({ lines: [line(book.id), line(randomUUID())] })),
        stock: await stockOf(writer, book),
      };
    },
  },
  {
    id: 'orders.cancel',
    rule: 'Cancelling puts every line back in stock; cancelling a cancelled order is CONFLICT and changes nothing',
    expected: { status: 'CANCELLED', stock: [3, 1], again: fails('CONFLICT'), stockAfter: [3, 1] },
    async run({ writer }) {
      const a = await savedBook(writer, { stock: 3 });
      const b = await savedBook(writer, { stock: 1 });
      const order = await writer.placeOrder({
        lines: [
          { bookId: a.id, quantity: 2 },
          { bookId: b.id, quantity: 1 },
        ],
      });
      const cancelled = await writer.cancelOrder({ id: order.id });
      const stock = await stockOf(writer, a, b);
      return {
        status: cancelled.status,
        stock,
        again: await outcome(writer.cancelOrder({ id: order.id })),
        stockAfter: await stockOf(writer, a, b),
      };
    },
  },
  {
    id: 'books.delete',
    rule: 'Deleting a book no order references removes it (then NOT_FOUND); a book an order references, even a cancelled one, is CONFLICT and stays',
    expected: {
      deleted: 'ok',
      gone: fails('NOT_FOUND'),
      again: fails('NOT_FOUND'),
      referenced: fails('CONFLICT'),
      stays: true,
    },
    async run({ writer }) {
      const lone = await savedBook(writer);
      const deleted = await writer.deleteBook({ id: lone.id });
      const ordered = await savedBook(writer, { stock: 1 });
      const order = await writer.placeOrder({ lines: [{ bookId: ordered.id, quantity: 1 }] });
      await writer.cancelOrder({ id: order.id });
      return {
        deleted: deleted.id === lone.id ? 'ok' : deleted,
        gone: await outcome(writer.getBook({ id: lone.id })),
        again: await outcome(writer.deleteBook({ id: lone.id })),
        referenced: await outcome(writer.deleteBook({ id: ordered.id })),
        stays: (await writer.getBook({ id: ordered.id })).id === ordered.id,
      };
    },
  },
  {
    id: 'auth.writes',
    rule: 'Reads are public; every write needs a valid API key: without one, or with a wrong one, it is UNAUTHENTICATED and changes nothing',
    expected: {
      read: 'ok',
      noKey: fails('UNAUTHENTICATED'),
      wrongKey: fails('UNAUTHENTICATED'),
      adjust: fails('UNAUTHENTICATED'),
      order: fails('UNAUTHENTICATED'),
      stock: [5],
    },
    async run({ writer, reader, intruder }) {
      const book = await savedBook(writer, { stock: 5 });
      return {
        read: await outcome(reader.getBook({ id: book.id })),
        noKey: await outcome(reader.createAuthor({ name: 'Nobody' })),
        wrongKey: await outcome(intruder.createAuthor({ name: 'Nobody' })),
        adjust: await outcome(reader.adjustStock({ id: book.id, delta: -1 })),
        order: await outcome(intruder.placeOrder({ lines: [{ bookId: book.id, quantity: 1 }] })),
        stock: await stockOf(reader, book),
      };
    },
  },
  {
    id: 'retries.repeat',
    rule: 'A write repeated with the same idempotency key and input gets the first result and changes nothing, even where the repeat alone would fail; a write that failed records nothing and may be retried with its key',
    expected: {
      order: true,
      stock: [3],
      book: true,
      cancel: 'ok',
      failed: short({ bookId: 'scarce', requested: 1, available: 0 }),
      retried: 'ok',
      scarce: [0],
    },
    async run({ writer, reader }) {
      const book = await savedBook(writer, { stock: 5 });
      const lines = [{ bookId: book.id, quantity: 2 }];
      const orderKey = { idempotencyKey: randomUUID() };
      const order = await writer.placeOrder({ lines }, orderKey);
      const orderAgain = await writer.placeOrder({ lines }, orderKey);
      const stock = await stockOf(reader, book);

      const input = { ...(await bookInput(writer)), stock: 1 };
      const bookKey = { idempotencyKey: randomUUID() };
      const created = await writer.createBook(input, bookKey);
      const createdAgain = await writer.createBook(input, bookKey);

      // Alone, a second cancel would be CONFLICT; the repeat gets the first one's result.
      const cancelKey = { idempotencyKey: randomUUID() };
      await writer.cancelOrder({ id: order.id }, cancelKey);
      const cancelAgain = await outcome(writer.cancelOrder({ id: order.id }, cancelKey));

      const scarce = await savedBook(writer, { stock: 0 });
      const scarceLines = [{ bookId: scarce.id, quantity: 1 }];
      const failKey = { idempotencyKey: randomUUID() };
      const failed = await outcome(writer.placeOrder({ lines: scarceLines }, failKey), {
        [scarce.id]: 'scarce',
      });
      await writer.adjustStock({ id: scarce.id, delta: 1 });
      const retried = await outcome(writer.placeOrder({ lines: scarceLines }, failKey));
      return {
        order: isDeepStrictEqual(orderAgain, order),
        stock,
        book: isDeepStrictEqual(createdAgain, created),
        cancel: cancelAgain,
        failed,
        retried,
        scarce: await stockOf(reader, scarce),
      };
    },
  },
  {
    id: 'retries.conflict',
    rule: 'The same idempotency key with another input or another operation is CONFLICT naming `idempotencyKey`, and a key that is not 1–255 visible ASCII characters is VALIDATION_FAILED; neither changes anything',
    expected: {
      otherInput: fails('CONFLICT', ['idempotencyKey']),
      otherOperation: fails('CONFLICT', ['idempotencyKey']),
      badKey: fails('VALIDATION_FAILED', ['idempotencyKey']),
      stock: [6],
    },
    async run({ writer, reader }) {
      const book = await savedBook(writer, { stock: 5 });
      const key = { idempotencyKey: randomUUID() };
      await writer.adjustStock({ id: book.id, delta: 1 }, key);
      return {
        otherInput: await outcome(writer.adjustStock({ id: book.id, delta: 2 }, key)),
        otherOperation: await outcome(
          writer.placeOrder({ lines: [{ bookId: book.id, quantity: 1 }] }, key),
        ),
        badKey: await outcome(
          writer.adjustStock({ id: book.id, delta: 1 }, { idempotencyKey: 'has space' }),
        ),
        stock: await stockOf(reader, book),
      };
    },
  },
  {
    id: 'retries.concurrent',
    rule: 'Ten requests sent at once with one idempotency key place one order, and every one of them gets it',
    expected: { answers: 10, orders: 1, stock: [8] },
    async run({ writer, reader }) {
      const book = await savedBook(writer, { stock: 10 });
      const key = { idempotencyKey: randomUUID() };
      const orders = await Promise.all(
        Array.from({ length: 10 }, () =>
          writer.placeOrder({ lines: [{ bookId: book.id, quantity: 2 }] }, key),
        ),
      );
      return {
        answers: orders.length,
        orders: new Set(orders.map((order) => JSON.stringify(order))).size,
        stock: await stockOf(reader, book),
      };
    },
  },
];

/** A valid new book's input, by a new author. */
async function bookInput(writer: BookshopClient) {
  return {
    title: 'Keyed',
    authorId: (await savedAuthor(writer)).id,
    isbn: uniqueIsbn(),
    priceCents: 700,
  };
}

export type { Outcome };
