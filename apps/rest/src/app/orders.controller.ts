import { Body, Controller, Param, Res } from '@nestjs/common';
import { Bookshop, type IdempotencyKey } from '@bookshop/domain';
import { type FastifyReply } from 'fastify';
import { Idempotency, once } from './idempotency';
import { Route } from './rest.bindings';

@Controller()
export class OrdersController {
  constructor(private readonly bookshop: Bookshop) {}

  @Route('orders.place')
  async place(
    @Body() body: unknown,
    @Idempotency() idempotency: IdempotencyKey | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const order = await once(this.bookshop, reply, 'orders.place', body, idempotency);
    void reply.header('location', `/api/orders/${order.id}`);
    return order;
  }

  @Route('orders.get')
  get(@Param('id') id: string) {
    return this.bookshop.execute('orders.get', { id });
  }

  @Route('orders.cancel')
  cancel(
    @Param('id') id: string,
    @Idempotency() idempotency: IdempotencyKey | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return once(this.bookshop, reply, 'orders.cancel', { id }, idempotency);
  }
}
