import { isUuidShaped } from '../cursor';
import { DomainError } from '../errors';
import { type Book } from '../model';
import { type BookChanges } from '../ports';
import { type UpdateBookInput } from '../schemas';
import { assertAuthorExists } from './create-book.use-case';
import { type UseCase, type UseCaseDependencies } from './use-case';

export class UpdateBookUseCase implements UseCase<UpdateBookInput, Book> {
  constructor(private readonly deps: UseCaseDependencies) {}

  execute(input: UpdateBookInput): Promise<Book> {
    const { id, expectedVersion, ...fields } = input;
    if (!isUuidShaped(id)) return Promise.reject(DomainError.notFound('book', id));
    const changes: BookChanges = Object.fromEntries(
      Object.entries(fields).filter(([, value]) => value !== undefined),
    );
    if (changes.authorId !== undefined) changes.authorId = changes.authorId.toLowerCase();
    const now = this.deps.clock.now().toISOString();
    return this.deps.store.transaction(async ({ authors, books, events }) => {
      const current = await books.findById(id, { forUpdate: true });
      if (!current) throw DomainError.notFound('book', id);
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        throw DomainError.conflict(
          `The book is at version ${current.version}, not ${expectedVersion}`,
          [{ path: 'expectedVersion', message: `current version is ${current.version}` }],
        );
      }
      if (changes.authorId !== undefined) await assertAuthorExists(authors, changes.authorId);
      const book = await books.update(id, changes, now);
      await events.append([{ type: 'book.updated', data: book }], now);
      return book;
    });
  }
}
