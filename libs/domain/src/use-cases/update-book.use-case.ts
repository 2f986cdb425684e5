import { DomainError } from '../errors';
import { type Book } from '../model';
import { type BookChanges } from '../ports';
import { type UpdateBookInput } from '../schemas';
import { assertAuthorExists, assertCanExist, found } from './lookups';
import { type UseCase, type UseCaseDependencies } from './use-case';

export class UpdateBookUseCase implements UseCase<UpdateBookInput, Book> {
  constructor(private readonly deps: UseCaseDependencies) {}

  async execute(input: UpdateBookInput): Promise<Book> {
    const { id, expectedVersion, ...fields } = input;
    assertCanExist('book', id);
    const changes: BookChanges = Object.fromEntries(
      Object.entries(fields).filter(([, value]) => value !== undefined),
    );
    const now = this.deps.clock.now().toISOString();
    return this.deps.store.transaction(async ({ authors, books, events }) => {
      const current = found('book', id, await books.findById(id, { forUpdate: true }));
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
