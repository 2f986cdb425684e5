import { Body, Controller, Param, Query, Res } from '@nestjs/common';
import { Bookshop } from '@bookshop/domain';
import { type FastifyReply } from 'fastify';
import { Route } from './rest.bindings';
import { fromQuery } from './rest-input';

@Controller()
export class AuthorsController {
  constructor(private readonly bookshop: Bookshop) {}

  @Route('authors.create')
  async create(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const author = await this.bookshop.execute('authors.create', body);
    void reply.header('location', `/api/authors/${author.id}`);
    return author;
  }

  @Route('authors.list')
  list(@Query() query: Record<string, unknown>) {
    return this.bookshop.execute('authors.list', fromQuery(query));
  }

  @Route('authors.get')
  get(@Param('id') id: string) {
    return this.bookshop.execute('authors.get', { id });
  }
}
