import { type PagePosition } from '../cursor';
import { DomainError } from '../errors';
import { type BookshopEvent, type NewEvent } from '../events';
import { type Author, type Book, type Order } from '../model';
import { type IdempotencyRecord, type PageRequest, type Repositories, type Store } from '../ports';

interface State {
  authors: Map<string, Author>;
  books: Map<string, Book>;
  orders: Map<string, Order>;
  events: BookshopEvent[];
  /** Idempotency records by owner and key. */
  idempotency: Map<string, IdempotencyRecord>;
}

const after = (position: PagePosition | undefined) => (row: { createdAt: string; id: string }) =>
  !position ||
  row.createdAt > position.createdAt ||
  (row.createdAt === position.createdAt && row.id > position.id);

const byCreation = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : a.createdAt.localeCompare(b.createdAt);

function page<T extends { createdAt: string; id: string }>(
  rows: Iterable<T>,
  request: PageRequest,
) {
  return [...rows].filter(after(request.after)).sort(byCreation).slice(0, request.limit);
}

/**
 * A store for unit tests of the use cases: transactions run one at a time on
 * a copy of the state that replaces it only on success, so a failed write
 * changes nothing, as on the real database.
 */
export class InMemoryStore implements Store {
  private state: State = {
    authors: new Map(),
    books: new Map(),
    orders: new Map(),
    events: [],
    idempotency: new Map(),
  };
  private queue: Promise<unknown> = Promise.resolve();

  get events(): readonly BookshopEvent[] {
    return this.state.events;
  }

  read<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return work(this.repositories(this.state));
  }

  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const draft = structuredClone(this.state);
      const result = await work(this.repositories(draft));
      this.state = draft;
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private repositories(state: State): Repositories {
    const copy = <T>(value: T | undefined) =>
      value === undefined ? undefined : structuredClone(value);
    const isbnTaken = (isbn: string, exceptId?: string) =>
      [...state.books.values()].some((book) => book.isbn === isbn && book.id !== exceptId);
    const isbnConflict = () =>
      DomainError.conflict('Another book has this ISBN', [
        { path: 'isbn', message: 'is already taken' },
      ]);
    return {
      authors: {
        insert: async (author) => {
          state.authors.set(author.id, copy(author)!);
        },
        findById: async (id) => copy(state.authors.get(id)),
        findByIds: async (ids) =>
          ids.flatMap((id) => {
            const author = state.authors.get(id);
            return author ? [copy(author)!] : [];
          }),
        list: async (request) => page(state.authors.values(), request).map((a) => copy(a)!),
      },
      books: {
        insert: async (book) => {
          if (isbnTaken(book.isbn)) throw isbnConflict();
          state.books.set(book.id, copy(book)!);
        },
        findById: async (id) => copy(state.books.get(id)),
        findByIds: async (ids) =>
          ids.flatMap((id) => {
            const book = state.books.get(id);
            return book ? [copy(book)!] : [];
          }),
        list: async (filter, request) =>
          page(
            [...state.books.values()].filter(
              (book) =>
                (!filter.authorId || book.authorId === filter.authorId) &&
                (!filter.q || book.title.toLowerCase().includes(filter.q.toLowerCase())),
            ),
            request,
          ).map((b) => copy(b)!),
        listByAuthors: async (authorIds, request) =>
          authorIds.flatMap((authorId) =>
            page(
              [...state.books.values()].filter((book) => book.authorId === authorId),
              request,
            ).map((b) => copy(b)!),
          ),
        update: async (id, changes, at) => {
          const book = state.books.get(id);
          if (!book) throw new Error(`no book ${id}`);
          if (changes.isbn !== undefined && isbnTaken(changes.isbn, id)) throw isbnConflict();
          Object.assign(book, changes, { version: book.version + 1, updatedAt: at });
          return copy(book)!;
        },
        changeStock: async (id, delta, at, max = Number.MAX_SAFE_INTEGER) => {
          const book = state.books.get(id);
          if (!book || book.stock + delta < 0 || book.stock + delta > max) return undefined;
          book.stock += delta;
          book.version += 1;
          book.updatedAt = at;
          return copy(book);
        },
        delete: async (id) => state.books.delete(id),
        isReferencedByOrders: async (id) =>
          [...state.orders.values()].some((order) => order.lines.some((l) => l.bookId === id)),
      },
      orders: {
        insert: async (order) => {
          state.orders.set(order.id, copy(order)!);
        },
        findById: async (id) => copy(state.orders.get(id)),
        setStatus: async (id, status) => {
          const order = state.orders.get(id);
          if (order) order.status = status;
        },
      },
      events: {
        append: async (events: readonly NewEvent[], occurredAt) => {
          const logged = events.map((event, index): BookshopEvent => ({
            ...structuredClone(event),
            seq: state.events.length + index + 1,
            occurredAt,
          }));
          state.events.push(...logged);
        },
      },
      // Transactions here run one at a time, so a claim never meets a running one.
      idempotencyKeys: {
        claim: async ({ owner, key, operation, inputHash }) => {
          const recorded = state.idempotency.get(`${owner} ${key}`);
          if (recorded) return copy(recorded);
          state.idempotency.set(`${owner} ${key}`, { operation, inputHash, result: null });
          return undefined;
        },
        record: async (owner, key, result) => {
          const claimed = state.idempotency.get(`${owner} ${key}`);
          if (claimed) claimed.result = JSON.parse(JSON.stringify(result)) as unknown;
        },
      },
    };
  }
}
