import { type Book } from '../model';
import { type CreateBookInput } from '../schemas';
import { assertAuthorExists } from './lookups';
import { type UseCase, type UseCaseDependencies } from './use-case';

export class CreateBookUseCase implements UseCase<CreateBookInput, Book> {
  constructor(private readonly deps: UseCaseDependencies) {}

  execute(input: CreateBookInput): Promise<Book> {
    const now = this.deps.clock.now().toISOString();
    const book: Book = {
      id: this.deps.ids.newId(),
      title: input.title,
      authorId: input.authorId,
      isbn: input.isbn,
      priceCents: input.priceCents,
      stock: input.stock ?? 0,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    return this.deps.store.transaction(async ({ authors, books, events }) => {
      await assertAuthorExists(authors, input.authorId);
      await books.insert(book);
      await events.append([{ type: 'book.created', data: book }], now);
      return book;
    });
  }
}
