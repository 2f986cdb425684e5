import { demoAuthors, demoBooks } from '@bookshop/domain';
import { sql } from 'drizzle-orm';
import { type Database } from './database';
import { DrizzleStore } from './drizzle-store';
import { eventInbox, events } from './schema';

/** The transaction lock (`pg_advisory_xact_lock`) that serialises seeding: "seed" in ASCII. */
export const SEED_LOCK = 0x73656564n.toString();

/**
 * Writes the demo catalogue when the log is empty (a database nothing has
 * ever happened in), through the store so that its events are logged too.
 * Returns whether it seeded. Replicas that start together seed once: each
 * checks and writes under one transaction lock.
 */
export async function seedDemoCatalogue(database: Database): Promise<boolean> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SEED_LOCK})`);
    // Events not yet numbered count too: the log is empty only when both are.
    const result = await tx.execute(
      sql`SELECT (EXISTS (SELECT 1 FROM ${events}) OR EXISTS (SELECT 1 FROM ${eventInbox})) AS logged`,
    );
    if ((result as { rows: { logged: boolean }[] }).rows[0]?.logged) return false;
    return seedInto(new DrizzleStore(tx));
  });
}

function seedInto(store: DrizzleStore): Promise<boolean> {
  return store.transaction(async (repositories) => {
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
