import { Body, Controller, Param, Res } from '@nestjs/common';
import { Bookshop } from '@bookshop/domain';
import { type FastifyReply } from 'fastify';
import { Route } from './rest.bindings';

@Controller()
export class OrdersController {
  constructor(private readonly bookshop: Bookshop) {}

  @Route('orders.place')
  async place(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const order = await this.bookshop.execute('orders.place', body);
    void reply.header('location', `/api/orders/${order.id}`);
    return order;
  }

  @Route('orders.get')
  get(@Param('id') id: string) {
    return this.bookshop.execute('orders.get', { id });
  }

  @Route('orders.cancel')
  cancel(@Param('id') id: string) {
    return this.bookshop.execute('orders.cancel', { id });
  }
}
