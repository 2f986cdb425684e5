import { isUuidShaped } from '../cursor';
import { DomainError } from '../errors';
import { type Order } from '../model';
import { type ByIdInput } from '../schemas';
import { type UseCase, type UseCaseDependencies } from './use-case';

export class GetOrderUseCase implements UseCase<ByIdInput, Order> {
  constructor(private readonly deps: UseCaseDependencies) {}

  async execute({ id }: ByIdInput): Promise<Order> {
    const order = isUuidShaped(id)
      ? await this.deps.store.read(({ orders }) => orders.findById(id))
      : undefined;
    if (!order) throw DomainError.notFound('order', id);
    return order;
  }
}
