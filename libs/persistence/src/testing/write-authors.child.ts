// Run as a separate process by the cross-process feed test: writes WRITE_COUNT
// authors to DATABASE_URL through the real store, then exits.
import { Bookshop, randomIds, systemClock } from '@bookshop/domain';
import { openDatabase } from '../database';
import { DrizzleStore } from '../drizzle-store';

async function main() {
  const database = await openDatabase({ url: process.env['DATABASE_URL'] });
  const bookshop = new Bookshop({
    store: new DrizzleStore(database.db),
    clock: systemClock,
    ids: randomIds,
  });
  const count = Number(process.env['WRITE_COUNT'] ?? '1');
  for (let i = 0; i < count; i++) await bookshop.execute('authors.create', { name: `child ${i}` });
  await database.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
