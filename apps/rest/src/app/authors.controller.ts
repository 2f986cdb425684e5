import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { Bookshop } from '@bookshop/domain';
import { ServesOperation } from '@bookshop/platform';
import { type FastifyReply } from 'fastify';
import { fromQuery } from './rest-input';

@Controller('api/authors')
export class AuthorsController {
  constructor(private readonly bookshop: Bookshop) {}

  @Post()
  @HttpCode(201)
  @ServesOperation('authors.create')
  async create(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const author = await this.bookshop.execute('authors.create', body);
    void reply.header('location', `/api/authors/${author.id}`);
    return author;
  }

  @Get()
  @ServesOperation('authors.list')
  list(@Query() query: Record<string, unknown>) {
    return this.bookshop.execute('authors.list', fromQuery(query));
  }

  @Get(':id')
  @ServesOperation('authors.get')
  get(@Param('id') id: string) {
    return this.bookshop.execute('authors.get', { id });
  }
}
