import { DomainError } from '../errors';
import { type ByIdInput } from '../schemas';
import { assertCanExist, found } from './lookups';
import { type UseCase, type UseCaseDependencies } from './use-case';

export class DeleteBookUseCase implements UseCase<ByIdInput, { id: string }> {
  constructor(private readonly deps: UseCaseDependencies) {}

  async execute({ id }: ByIdInput): Promise<{ id: string }> {
    assertCanExist('book', id);
    const now = this.deps.clock.now().toISOString();
    return this.deps.store.transaction(async ({ books, events }) => {
      const book = found('book', id, await books.findById(id, { forUpdate: true }));
      if (await books.isReferencedByOrders(book.id)) {
        throw DomainError.conflict('The book is on at least one order and cannot be deleted');
      }
      await books.delete(book.id);
      await events.append([{ type: 'book.deleted', data: { id: book.id } }], now);
      return { id: book.id };
    });
  }
}
