import { demoAuthors, demoBooks } from '@bookshop/domain';
import { sql } from 'drizzle-orm';
import { type Database } from './database';
import { DrizzleStore } from './drizzle-store';
import { events } from './schema';

/**
 * Writes the demo catalogue when the log is empty (a database nothing has
 * ever happened in), through the store so that its events are logged too.
 * Returns whether it seeded.
 */
export async function seedDemoCatalogue(database: Database): Promise<boolean> {
  const [row] = await database.db.select({ count: sql<number>`count(*)::int` }).from(events);
  if ((row?.count ?? 0) > 0) return false;
  return new DrizzleStore(database.db).transaction(async (repositories) => {
    for (const author of demoAuthors) {
      await repositories.authors.insert(author);
      await repositories.events.append(
        [{ type: 'author.created', data: author }],
        author.createdAt,
      );
    }
    for (const book of demoBooks) {
      await repositories.books.insert(book);
      await repositories.events.append([{ type: 'book.created', data: book }], book.createdAt);
    }
    return true;
  });
}
