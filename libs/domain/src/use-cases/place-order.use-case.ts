import { isUuidShaped } from '../cursor';
import { DomainError, type FieldIssue, type StockShortage } from '../errors';
import { type NewEvent } from '../events';
import { type Order, type OrderLine } from '../model';
import { type PlaceOrderInput } from '../schemas';
import { type UseCase, type UseCaseDependencies } from './use-case';

/**
 * Places an order atomically: every line's stock is taken with a conditional
 * update inside one transaction, or the transaction rolls back and nothing
 * changed. Lines are taken in book-id order so that two orders over the same
 * books lock rows in the same order and cannot deadlock.
 */
export class PlaceOrderUseCase implements UseCase<PlaceOrderInput, Order> {
  constructor(private readonly deps: UseCaseDependencies) {}

  execute(input: PlaceOrderInput): Promise<Order> {
    const requested = input.lines;
    const now = this.deps.clock.now().toISOString();
    const orderId = this.deps.ids.newId();

    return this.deps.store.transaction(async ({ books, orders, events }) => {
      const known = new Set(
        (await books.findByIds(requested.map((l) => l.bookId).filter(isUuidShaped))).map(
          (book) => book.id,
        ),
      );
      const missing: FieldIssue[] = requested.flatMap((line, index) =>
        known.has(line.bookId)
          ? []
          : [{ path: `lines[${index}].bookId`, message: 'no book has this id' }],
      );
      if (missing.length > 0) throw DomainError.validation(missing);

      const prices = new Map<string, number>();
      const stockEvents: NewEvent[] = [];
      const shortages: StockShortage[] = [];
      for (const line of [...requested].sort((a, b) => a.bookId.localeCompare(b.bookId))) {
        const book = await books.changeStock(line.bookId, -line.quantity, now);
        if (book) {
          prices.set(book.id, book.priceCents);
          stockEvents.push({
            type: 'stock.changed',
            data: { bookId: book.id, stock: book.stock, delta: -line.quantity, reason: 'order' },
          });
        } else {
          const current = await books.findById(line.bookId);
          shortages.push({
            bookId: line.bookId,
            requested: line.quantity,
            available: current?.stock ?? 0,
          });
        }
      }
      if (shortages.length > 0) {
        // Report short lines in the order the client sent them.
        const position = new Map(requested.map((line, index) => [line.bookId, index]));
        shortages.sort((a, b) => (position.get(a.bookId) ?? 0) - (position.get(b.bookId) ?? 0));
        throw DomainError.outOfStock(shortages);
      }

      const lines: OrderLine[] = requested.map((line) => ({
        bookId: line.bookId,
        quantity: line.quantity,
        unitPriceCents: prices.get(line.bookId) ?? 0,
      }));
      const order: Order = {
        id: orderId,
        status: 'PLACED',
        lines,
        totalCents: lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0),
        createdAt: now,
      };
      await orders.insert(order);
      await events.append([...stockEvents, { type: 'order.placed', data: order }], now);
      return order;
    });
  }
}
