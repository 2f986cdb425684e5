import { Args, Context, ID, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RootField } from './graphql.bindings';
import { Bookshop, type IdempotencyKey } from '@bookshop/domain';
import { Idempotency } from './idempotency';
import { nullIfNotFound } from './graphql-errors';
import { type GraphqlContext } from './loaders';
import { BookModel, OrderLineModel, OrderModel, PlaceOrderInput } from './models';

@Resolver(() => OrderModel)
export class OrdersResolver {
  constructor(private readonly bookshop: Bookshop) {}

  @RootField('orders.get', () => OrderModel, { nullable: true })
  order(@Args('id', { type: () => ID }) id: string) {
    return nullIfNotFound(this.bookshop.execute('orders.get', { id }));
  }

  @RootField('orders.place', () => OrderModel)
  placeOrder(
    @Args('input', { type: () => PlaceOrderInput }) input: PlaceOrderInput,
    @Idempotency() idempotency: IdempotencyKey | undefined,
  ) {
    return this.bookshop.execute('orders.place', input, idempotency);
  }

  @RootField('orders.cancel', () => OrderModel)
  cancelOrder(
    @Args('id', { type: () => ID }) id: string,
    @Idempotency() idempotency: IdempotencyKey | undefined,
  ) {
    return this.bookshop.execute('orders.cancel', { id }, idempotency);
  }
}

@Resolver(() => OrderLineModel)
export class OrderLinesResolver {
  @ResolveField('book', () => BookModel, { nullable: true })
  book(@Parent() line: OrderLineModel, @Context() context: GraphqlContext) {
    return context.loaders.book.load(line.bookId);
  }
}
