import {
  Args,
  Context,
  ID,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { Bookshop } from '@bookshop/domain';
import { ServesOperation } from '@bookshop/platform';
import { nullIfNotFound } from './graphql-errors';
import { type GraphqlContext } from './loaders';
import { BookModel, OrderLineModel, OrderModel, PlaceOrderInput } from './models';

@Resolver(() => OrderModel)
export class OrdersResolver {
  constructor(private readonly bookshop: Bookshop) {}

  @Query(() => OrderModel, { name: 'order', nullable: true })
  @ServesOperation('orders.get')
  order(@Args('id', { type: () => ID }) id: string) {
    return nullIfNotFound(this.bookshop.execute('orders.get', { id }));
  }

  @Mutation(() => OrderModel, { name: 'placeOrder' })
  @ServesOperation('orders.place')
  placeOrder(@Args('input', { type: () => PlaceOrderInput }) input: PlaceOrderInput) {
    return this.bookshop.execute('orders.place', input);
  }

  @Mutation(() => OrderModel, { name: 'cancelOrder' })
  @ServesOperation('orders.cancel')
  cancelOrder(@Args('id', { type: () => ID }) id: string) {
    return this.bookshop.execute('orders.cancel', { id });
  }
}

@Resolver(() => OrderLineModel)
export class OrderLinesResolver {
  @ResolveField('book', () => BookModel, { nullable: true })
  book(@Parent() line: OrderLineModel, @Context() context: GraphqlContext) {
    return context.loaders.book.load(line.bookId);
  }
}
