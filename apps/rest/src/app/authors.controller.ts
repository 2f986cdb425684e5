import { Body, Controller, Param, Query, Res } from '@nestjs/common';
import { Bookshop, type IdempotencyKey } from '@bookshop/domain';
import { type FastifyReply } from 'fastify';
import { Route } from './rest.bindings';
import { lastModified } from './http-cache';
import { Idempotency, once } from './idempotency';
import { fromQuery } from './rest-input';

@Controller()
export class AuthorsController {
  constructor(private readonly bookshop: Bookshop) {}

  @Route('authors.create')
  async create(
    @Body() body: unknown,
    @Idempotency() idempotency: IdempotencyKey | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const author = await once(this.bookshop, reply, 'authors.create', body, idempotency);
    void reply.header('location', `/api/authors/${author.id}`);
    return author;
  }

  @Route('authors.list')
  list(@Query() query: Record<string, unknown>) {
    return this.bookshop.execute('authors.list', fromQuery(query));
  }

  /** Authors do not change: their creation is their last modification. */
  @Route('authors.get')
  async get(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const author = await this.bookshop.execute('authors.get', { id });
    lastModified(reply, author.createdAt);
    return author;
  }
}
