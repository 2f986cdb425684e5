import { canonicalId, isUuidShaped } from './cursor';
import { type Author, type Book, type Page } from './model';
import { type Store } from './ports';
import { pageInput } from './schemas';
import { pageRequest, toPage } from './use-cases/use-case';
import { parseInput } from './validation';

/**
 * Reads of many entities at once, for adapters that batch per request (the
 * GraphQL loaders). Each returns one entry per requested key, in order, so
 * a DataLoader can use it as is.
 */
export class BatchReads {
  constructor(private readonly store: Store) {}

  async authorsByIds(ids: readonly string[]): Promise<(Author | undefined)[]> {
    const found = await this.store.read(({ authors }) =>
      authors.findByIds(ids.filter(isUuidShaped)),
    );
    const byId = new Map(found.map((author) => [author.id, author]));
    return ids.map((id) => byId.get(canonicalId(id)));
  }

  async booksByIds(ids: readonly string[]): Promise<(Book | undefined)[]> {
    const found = await this.store.read(({ books }) => books.findByIds(ids.filter(isUuidShaped)));
    const byId = new Map(found.map((book) => [book.id, book]));
    return ids.map((id) => byId.get(canonicalId(id)));
  }

  /** The same page (`limit`, `cursor`) of each author's books; the page is validated like any list's. */
  async bookPagesByAuthors(
    authorIds: readonly string[],
    page: { limit?: number; cursor?: string },
  ): Promise<Page<Book>[]> {
    const request = pageRequest(parseInput(pageInput, page));
    const rows = await this.store.read(({ books }) =>
      books.listByAuthors(authorIds.filter(isUuidShaped), request),
    );
    return authorIds.map((authorId) =>
      toPage(
        rows.filter((book) => book.authorId === canonicalId(authorId)),
        request,
      ),
    );
  }
}
