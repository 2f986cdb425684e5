import { isUuidShaped } from '../cursor';
import { type Book, type Page } from '../model';
import { type ListBooksInput } from '../schemas';
import { pageRequest, toPage, type UseCase, type UseCaseDependencies } from './use-case';

export class ListBooksUseCase implements UseCase<ListBooksInput, Page<Book>> {
  constructor(private readonly deps: UseCaseDependencies) {}

  async execute(input: ListBooksInput): Promise<Page<Book>> {
    const request = pageRequest(input);
    // A filter by an id that cannot name an author matches nothing.
    if (input.authorId !== undefined && !isUuidShaped(input.authorId)) {
      return { items: [], nextCursor: null };
    }
    const filter = { authorId: input.authorId, q: input.q || undefined };
    const rows = await this.deps.store.read(({ books }) => books.list(filter, request));
    return toPage(rows, request);
  }
}
