import { type Author, type BatchReads, type Book, type Page } from '@bookshop/domain';
import DataLoader from 'dataloader';

export interface BooksOfAuthorKey {
  authorId: string;
  first?: number;
  after?: string;
}

/**
 * Per-request loaders: every `Book.author`, `OrderLine.book` and
 * `Author.books` a query asks for is collected in one tick and read in one
 * query per kind, not one per parent.
 */
export function createLoaders(reads: BatchReads) {
  return {
    author: new DataLoader<string, Author | undefined>((ids) => reads.authorsByIds(ids)),
    book: new DataLoader<string, Book | undefined>((ids) => reads.booksByIds(ids)),
    booksOfAuthor: new DataLoader<BooksOfAuthorKey, Page<Book>, string>(
      async (keys) => {
        // One query per distinct page shape (`first`, `after`), covering every author asking for it.
        const groups = new Map<string, BooksOfAuthorKey[]>();
        for (const key of keys) {
          const shape = JSON.stringify([key.first ?? null, key.after ?? null]);
          groups.set(shape, [...(groups.get(shape) ?? []), key]);
        }
        const pages = new Map<BooksOfAuthorKey, Page<Book>>();
        for (const [shape, group] of groups) {
          const [first, after] = JSON.parse(shape) as [number | null, string | null];
          const results = await reads.bookPagesByAuthors(
            group.map((key) => key.authorId),
            {
              ...(first === null ? {} : { limit: first }),
              ...(after === null ? {} : { cursor: after }),
            },
          );
          group.forEach((key, index) => {
            const page = results[index];
            if (page) pages.set(key, page);
          });
        }
        return keys.map((key) => pages.get(key) ?? new Error('no page was read for this author'));
      },
      { cacheKeyFn: (key) => JSON.stringify([key.authorId, key.first, key.after]) },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** What every resolver finds in its context. */
export interface GraphqlContext {
  /** The `Authorization` header, or the connection parameter of a WebSocket. */
  authorization?: string;
  /** The client's address, for the rate limits. */
  address?: string;
  /** The HTTP request's `Idempotency-Key` header, which covers its one mutation field. */
  idempotencyKey?: string;
  loaders: Loaders;
}
