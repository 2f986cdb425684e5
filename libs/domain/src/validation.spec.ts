import { DomainError } from './errors';
import {
  adjustStockInput,
  createAuthorInput,
  createBookInput,
  listBooksInput,
  placeOrderInput,
  updateBookInput,
} from './schemas';
import { formatPath, parseInput } from './validation';

function detailsOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    return (error as DomainError).details;
  }
  throw new Error('expected a validation failure');
}

const AUTHOR = '00000000-0000-4000-8000-000000000001';

describe('formatPath', () => {
  it('writes array indexes in brackets and fields with dots', () => {
    expect(formatPath(['lines', 1, 'quantity'])).toBe('lines[1].quantity');
    expect(formatPath(['name'])).toBe('name');
    expect(formatPath([])).toBe('');
  });
});

describe('author input', () => {
  it('trims the name and defaults bio to null', () => {
    expect(parseInput(createAuthorInput, { name: '  Ada  ' })).toEqual({ name: 'Ada', bio: null });
  });

  it('rejects a name that is empty after trimming', () => {
    expect(detailsOf(() => parseInput(createAuthorInput, { name: '   ' }))).toEqual([
      { path: 'name', message: 'name must not be empty' },
    ]);
  });

  it('rejects a name over 200 characters and a bio over 2000', () => {
    expect(
      detailsOf(() =>
        parseInput(createAuthorInput, { name: 'x'.repeat(201), bio: 'y'.repeat(2001) }),
      ),
    ).toEqual([
      { path: 'name', message: 'name must be at most 200 characters' },
      { path: 'bio', message: 'bio must be at most 2000 characters' },
    ]);
  });

  it('accepts a name of exactly 200 characters', () => {
    expect(parseInput(createAuthorInput, { name: 'x'.repeat(200) }).name).toHaveLength(200);
  });

  it('says a missing field is required', () => {
    expect(detailsOf(() => parseInput(createAuthorInput, {}))).toEqual([
      { path: 'name', message: 'is required' },
    ]);
  });

  it('rejects unknown fields by name', () => {
    expect(detailsOf(() => parseInput(createAuthorInput, { name: 'A', age: 3 }))).toEqual([
      { path: 'age', message: 'is not a known field' },
    ]);
  });

  it('treats a missing input as an empty object', () => {
    expect(detailsOf(() => parseInput(createAuthorInput, undefined))).toEqual([
      { path: 'name', message: 'is required' },
    ]);
  });
});

describe('book input', () => {
  const valid = { title: 'T', authorId: AUTHOR, isbn: '978-0-547-77374-2', priceCents: 0 };

  it('normalises the ISBN to 13 digits', () => {
    expect(parseInput(createBookInput, valid).isbn).toBe('9780547773742');
  });

  it('names the ISBN problem at its path', () => {
    expect(
      detailsOf(() => parseInput(createBookInput, { ...valid, isbn: '9780547773743' })),
    ).toEqual([{ path: 'isbn', message: 'ISBN checksum digit is wrong' }]);
  });

  it.each([
    [{ priceCents: -1 }, 'priceCents', 'priceCents must be at least 0'],
    [{ priceCents: 10_000_001 }, 'priceCents', 'priceCents must be at most 10000000'],
    [{ priceCents: 1.5 }, 'priceCents', 'priceCents must be an integer'],
    [{ priceCents: '100' }, 'priceCents', 'priceCents must be a number'],
    [{ stock: -1 }, 'stock', 'stock must be at least 0'],
    [{ stock: 1_000_001 }, 'stock', 'stock must be at most 1000000'],
    [{ title: 'x'.repeat(301) }, 'title', 'title must be at most 300 characters'],
    [{ authorId: '' }, 'authorId', 'must not be empty'],
  ])('rejects %j', (override, path, message) => {
    expect(detailsOf(() => parseInput(createBookInput, { ...valid, ...override }))).toEqual([
      { path, message },
    ]);
  });

  it('accepts the bounds of price and stock', () => {
    expect(
      parseInput(createBookInput, { ...valid, priceCents: 10_000_000, stock: 1_000_000 }),
    ).toMatchObject({
      priceCents: 10_000_000,
      stock: 1_000_000,
    });
  });

  it('refuses to set stock through an update', () => {
    expect(detailsOf(() => parseInput(updateBookInput, { id: AUTHOR, stock: 5 }))).toContainEqual({
      path: 'stock',
      message: 'is not a known field',
    });
  });

  it('needs at least one field to change in an update', () => {
    expect(
      detailsOf(() => parseInput(updateBookInput, { id: AUTHOR, expectedVersion: 1 })),
    ).toEqual([
      { path: '', message: 'at least one of title, authorId, isbn, priceCents must be given' },
    ]);
  });

  it('limits page size to 1–100', () => {
    expect(detailsOf(() => parseInput(listBooksInput, { limit: 0 }))).toEqual([
      { path: 'limit', message: 'limit must be at least 1' },
    ]);
    expect(detailsOf(() => parseInput(listBooksInput, { limit: 101 }))).toEqual([
      { path: 'limit', message: 'limit must be at most 100' },
    ]);
  });
});

describe('stock adjustment input', () => {
  it('rejects a zero delta', () => {
    expect(detailsOf(() => parseInput(adjustStockInput, { id: AUTHOR, delta: 0 }))).toEqual([
      { path: 'delta', message: 'delta must not be 0' },
    ]);
  });

  it('limits delta to ±1 000 000', () => {
    expect(
      detailsOf(() => parseInput(adjustStockInput, { id: AUTHOR, delta: -1_000_001 })),
    ).toEqual([{ path: 'delta', message: 'delta must be at least -1000000' }]);
    expect(parseInput(adjustStockInput, { id: AUTHOR, delta: 1_000_000 }).delta).toBe(1_000_000);
  });
});

describe('order input', () => {
  const line = (n: number, quantity = 1) => ({
    bookId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    quantity,
  });

  it('needs 1 to 50 lines', () => {
    expect(detailsOf(() => parseInput(placeOrderInput, { lines: [] }))).toEqual([
      { path: 'lines', message: 'an order needs at least one line' },
    ]);
    const many = Array.from({ length: 51 }, (_, i) => line(i + 1));
    expect(detailsOf(() => parseInput(placeOrderInput, { lines: many }))).toEqual([
      { path: 'lines', message: 'an order has at most 50 lines' },
    ]);
    expect(parseInput(placeOrderInput, { lines: many.slice(0, 50) }).lines).toHaveLength(50);
  });

  it('names each bad quantity by its line', () => {
    expect(
      detailsOf(() => parseInput(placeOrderInput, { lines: [line(1), line(2, 0), line(3, 101)] })),
    ).toEqual([
      { path: 'lines[1].quantity', message: 'quantity must be at least 1' },
      { path: 'lines[2].quantity', message: 'quantity must be at most 100' },
    ]);
  });

  it('refuses the same book on two lines', () => {
    expect(
      detailsOf(() => parseInput(placeOrderInput, { lines: [line(1), line(2), line(1)] })),
    ).toEqual([
      { path: 'lines[2].bookId', message: 'the same book appears on more than one line' },
    ]);
  });
});

describe('text that no store or wire can carry', () => {
  const NUL = 'A\u0000B';
  const LONE = 'A\ud800B';

  it.each([
    ['authors.create name', createAuthorInput, { name: NUL }, 'name'],
    ['authors.create bio', createAuthorInput, { name: 'Ada', bio: LONE }, 'bio'],
    [
      'books.create title',
      createBookInput,
      { title: LONE, authorId: AUTHOR, isbn: '9780306406157', priceCents: 1 },
      'title',
    ],
    ['books.update title', updateBookInput, { id: AUTHOR, title: LONE }, 'title'],
    ['books.list q', listBooksInput, { q: NUL }, 'q'],
    ['books.list cursor', listBooksInput, { cursor: NUL }, 'cursor'],
  ])('refuses NUL and unpaired surrogates in %s with the field path', (_, schema, input, path) => {
    const details = detailsOf(() => parseInput(schema, input)) as readonly { path: string }[];
    expect(details.map((issue) => issue.path)).toContain(path);
  });

  it('keeps a surrogate pair (an emoji) as it is', () => {
    expect(parseInput(createAuthorInput, { name: 'Ada 📚' }).name).toBe('Ada 📚');
  });
});

describe('ids', () => {
  const UPPER = 'ABCDEF00-0000-4000-8000-00000000000A';

  it('are lower-cased before any rule, in targets and in references', () => {
    expect(parseInput(adjustStockInput, { id: UPPER, delta: 1 }).id).toBe(UPPER.toLowerCase());
    expect(parseInput(listBooksInput, { authorId: UPPER }).authorId).toBe(UPPER.toLowerCase());
  });

  it('name one book for "no book twice" in any spelling', () => {
    expect(
      detailsOf(() =>
        parseInput(placeOrderInput, {
          lines: [
            { bookId: UPPER.toLowerCase(), quantity: 2 },
            { bookId: UPPER, quantity: 3 },
          ],
        }),
      ),
    ).toEqual([
      { path: 'lines[1].bookId', message: 'the same book appears on more than one line' },
    ]);
  });

  it('that are not UUID-shaped are left as they are (they name nothing)', () => {
    expect(parseInput(adjustStockInput, { id: 'NOT-AN-ID', delta: 1 }).id).toBe('NOT-AN-ID');
  });
});
