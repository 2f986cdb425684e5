import { DomainError } from '../errors';
import { type NewEvent } from '../events';
import { type Order } from '../model';
import { type ByIdInput } from '../schemas';
import { assertCanExist, found } from './lookups';
import { type UseCase, type UseCaseDependencies } from './use-case';

/** Cancels a placed order and puts every line's quantity back in stock, in one transaction. */
export class CancelOrderUseCase implements UseCase<ByIdInput, Order> {
  constructor(private readonly deps: UseCaseDependencies) {}

  async execute({ id }: ByIdInput): Promise<Order> {
    assertCanExist('order', id);
    const now = this.deps.clock.now().toISOString();
    return this.deps.store.transaction(async ({ books, orders, events }) => {
      const order = found('order', id, await orders.findById(id, { forUpdate: true }));
      if (order.status === 'CANCELLED') {
        throw DomainError.conflict('The order is already cancelled');
      }
      const stockEvents: NewEvent[] = [];
      for (const line of [...order.lines].sort((a, b) => a.bookId.localeCompare(b.bookId))) {
        const book = await books.changeStock(line.bookId, line.quantity, now);
        if (!book) throw new Error(`Book ${line.bookId} of order ${order.id} is missing`);
        stockEvents.push({
          type: 'stock.changed',
          data: { bookId: book.id, stock: book.stock, delta: line.quantity, reason: 'cancel' },
        });
      }
      await orders.setStatus(order.id, 'CANCELLED');
      const cancelled: Order = { ...order, status: 'CANCELLED' };
      await events.append([...stockEvents, { type: 'order.cancelled', data: cancelled }], now);
      return cancelled;
    });
  }
}
