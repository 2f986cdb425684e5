import { DomainError } from '../errors';
import { LIMITS, type Book } from '../model';
import { type AdjustStockInput } from '../schemas';
import { assertCanExist, found } from './lookups';
import { type UseCase, type UseCaseDependencies } from './use-case';

export class AdjustStockUseCase implements UseCase<AdjustStockInput, Book> {
  constructor(private readonly deps: UseCaseDependencies) {}

  async execute({ id, delta }: AdjustStockInput): Promise<Book> {
    assertCanExist('book', id);
    const now = this.deps.clock.now().toISOString();
    return this.deps.store.transaction(async ({ books, events }) => {
      const book = await books.changeStock(id, delta, now, LIMITS.stock);
      if (!book) {
        const current = found('book', id, await books.findById(id));
        if (current.stock + delta < 0) {
          throw DomainError.outOfStock([
            { bookId: current.id, requested: -delta, available: current.stock },
          ]);
        }
        throw DomainError.invalidField(
          'delta',
          `stock would exceed ${LIMITS.stock} (it is ${current.stock})`,
        );
      }
      await events.append(
        [
          {
            type: 'stock.changed',
            data: { bookId: book.id, stock: book.stock, delta, reason: 'adjustment' },
          },
        ],
        now,
      );
      return book;
    });
  }
}
