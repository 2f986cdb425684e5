import { isUuidShaped } from '../cursor';
import { DomainError } from '../errors';
import { type Book } from '../model';
import { type AuthorRepository } from '../ports';
import { type CreateBookInput } from '../schemas';
import { type UseCase, type UseCaseDependencies } from './use-case';

export class CreateBookUseCase implements UseCase<CreateBookInput, Book> {
  constructor(private readonly deps: UseCaseDependencies) {}

  execute(input: CreateBookInput): Promise<Book> {
    const now = this.deps.clock.now().toISOString();
    const book: Book = {
      id: this.deps.ids.newId(),
      title: input.title,
      authorId: input.authorId.toLowerCase(),
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

/** A book's `authorId` is a reference: a missing author is a validation failure at that path. */
export async function assertAuthorExists(authors: AuthorRepository, authorId: string) {
  if (!isUuidShaped(authorId) || !(await authors.findById(authorId))) {
    throw DomainError.invalidField('authorId', 'no author has this id');
  }
}
