import { Body, Controller, Headers, Param, Query, Res } from '@nestjs/common';
import {
  type Author,
  BatchReads,
  type Book,
  Bookshop,
  type IdempotencyKey,
} from '@bookshop/domain';
import { type FastifyReply } from 'fastify';
import { Route } from './rest.bindings';
import { etagOf, withIfMatch } from './etag';
import { lastModified } from './http-cache';
import { Idempotency, once } from './idempotency';
import { fromQuery, withId, withoutInclude } from './rest-input';

@Controller()
export class BooksController {
  constructor(
    private readonly bookshop: Bookshop,
    private readonly reads: BatchReads,
  ) {}

  @Route('books.create')
  async create(
    @Body() body: unknown,
    @Idempotency() idempotency: IdempotencyKey | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const book = await once(this.bookshop, reply, 'books.create', body, idempotency);
    void reply.header('location', `/api/books/${book.id}`).header('etag', etagOf(book));
    return book;
  }

  /** With `include=author`, the page carries its books' authors under `included.authors`, each once. */
  @Route('books.list')
  async list(@Query() query: Record<string, unknown>) {
    const { input, authors } = withoutInclude(query);
    const page = await this.bookshop.execute('books.list', fromQuery(input));
    if (!authors) return page;
    return { ...page, included: { authors: await this.authorsOf(page.items) } };
  }

  /** The distinct authors of some books, in one query (as GraphQL's loader reads them). */
  private async authorsOf(books: readonly Book[]): Promise<Author[]> {
    const ids = [...new Set(books.map((book) => book.authorId))];
    const found = await this.reads.authorsByIds(ids);
    return found.filter((author): author is Author => author !== undefined);
  }

  /** The version is the ETag; a matching `If-None-Match` is answered 304 (http-cache.ts). */
  @Route('books.get')
  async get(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const book = await this.bookshop.execute('books.get', { id });
    void reply.header('etag', etagOf(book));
    lastModified(reply, book.updatedAt);
    return book;
  }

  /** `If-Match` is the HTTP spelling of `expectedVersion`; a mismatch answers 412 (see etag.ts). */
  @Route('books.update')
  async update(
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Idempotency() idempotency: IdempotencyKey | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const input = withId(body, id);
    const book = await withIfMatch(ifMatch, (expectedVersion) =>
      once(
        this.bookshop,
        reply,
        'books.update',
        expectedVersion !== undefined && typeof input === 'object'
          ? { ...input, expectedVersion }
          : input,
        idempotency,
      ),
    );
    void reply.header('etag', etagOf(book));
    return book;
  }

  @Route('books.delete')
  async delete(
    @Param('id') id: string,
    @Idempotency() idempotency: IdempotencyKey | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    await once(this.bookshop, reply, 'books.delete', { id }, idempotency);
  }

  @Route('books.adjustStock')
  async adjustStock(
    @Param('id') id: string,
    @Body() body: unknown,
    @Idempotency() idempotency: IdempotencyKey | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const book = await once(
      this.bookshop,
      reply,
      'books.adjustStock',
      withId(body, id),
      idempotency,
    );
    void reply.header('etag', etagOf(book));
    return book;
  }
}
