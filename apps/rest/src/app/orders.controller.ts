import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { Bookshop } from '@bookshop/domain';
import { ServesOperation } from '@bookshop/platform';
import { type FastifyReply } from 'fastify';

@Controller('api/orders')
export class OrdersController {
  constructor(private readonly bookshop: Bookshop) {}

  @Post()
  @HttpCode(201)
  @ServesOperation('orders.place')
  async place(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const order = await this.bookshop.execute('orders.place', body);
    void reply.header('location', `/api/orders/${order.id}`);
    return order;
  }

  @Get(':id')
  @ServesOperation('orders.get')
  get(@Param('id') id: string) {
    return this.bookshop.execute('orders.get', { id });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ServesOperation('orders.cancel')
  cancel(@Param('id') id: string) {
    return this.bookshop.execute('orders.cancel', { id });
  }
}
