/**
 * The benchmark's baseline: the same use cases as the services, behind bare
 * Fastify routes — no Nest, no guard, no logger, no protocol beyond JSON over
 * HTTP. What the services cost above it is what Nest and each protocol add.
 * Prints `{"event":"listening","url":…}` like the services, so the same
 * launcher starts it.
 */
import { BatchReads, Bookshop, isDomainError, randomIds, systemClock } from '@bookshop/domain';
import { DrizzleStore, openDatabase } from '@bookshop/persistence';
import Fastify from 'fastify';

async function main(): Promise<void> {
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is required');
  const database = await openDatabase({ url });
  await database.migrate();
  const store = new DrizzleStore(database.db);
  const bookshop = new Bookshop({ store, clock: systemClock, ids: randomIds });
  const batch = new BatchReads(store);

  const app = Fastify({ logger: false });
  app.setErrorHandler((error, _request, reply) => {
    if (isDomainError(error)) {
      const status = error.code === 'NOT_FOUND' ? 404 : error.code === 'OUT_OF_STOCK' ? 409 : 422;
      return reply.status(status).send({ code: error.code, message: error.message });
    }
    return reply.status(500).send({ code: 'INTERNAL' });
  });

  app.get<{ Params: { id: string } }>('/books/:id', (request) =>
    bookshop.execute('books.get', { id: request.params.id }),
  );

  /** A page of books, each with its author, in one response (what the GraphQL query returns). */
  app.get<{ Querystring: { limit?: string; cursor?: string } }>(
    '/books-with-authors',
    async (request) => {
      const page = await bookshop.execute('books.list', {
        limit: Number(request.query.limit ?? 20),
        cursor: request.query.cursor,
      });
      const authors = await batch.authorsByIds([...new Set(page.items.map((b) => b.authorId))]);
      const byId = new Map(authors.flatMap((a) => (a ? [[a.id, a]] : [])));
      return {
        items: page.items.map((book) => ({ ...book, author: byId.get(book.authorId) })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.post('/orders', (request) => bookshop.execute('orders.place', request.body));

  const address = await app.listen({ port: Number(process.env['PORT'] ?? 0), host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: address })}\n`);

  const stop = () => {
    void app
      .close()
      .then(() => database.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
