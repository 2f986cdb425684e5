import { type Order } from '../model';
import { type ByIdInput } from '../schemas';
import { assertCanExist, found } from './lookups';
import { type UseCase, type UseCaseDependencies } from './use-case';

export class GetOrderUseCase implements UseCase<ByIdInput, Order> {
  constructor(private readonly deps: UseCaseDependencies) {}

  async execute({ id }: ByIdInput): Promise<Order> {
    assertCanExist('order', id);
    return found('order', id, await this.deps.store.read(({ orders }) => orders.findById(id)));
  }
}
