import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type Database, openDatabase } from '../database';

/** A fresh, migrated database on the chosen engine. Postgres comes from TEST_DATABASE_URL (jest globalSetup). */
export async function freshDatabase(
  engine: 'pglite' | 'postgres',
  poolSize = 10,
): Promise<Database> {
  let database: Database;
  if (engine === 'pglite') {
    database = await openDatabase();
  } else {
    const base = process.env['TEST_DATABASE_URL'];
    if (!base) throw new Error('TEST_DATABASE_URL is not set; run through the int-test target');
    const name = `t_${randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    database = await openDatabase({ url: url.toString(), poolSize });
  }
  await database.migrate();
  return database;
}

/** Collects `count` events from an async iterable, failing after `timeoutMs`. */
export async function take<T>(
  source: AsyncIterable<T>,
  count: number,
  timeoutMs = 15_000,
): Promise<T[]> {
  const out: T[] = [];
  const iterator = source[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (out.length < count) {
    const remaining = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`got ${out.length} of ${count} items in ${timeoutMs} ms`)),
          Math.max(remaining, 0),
        );
      }),
    ]).finally(() => clearTimeout(timer));
    if (result.done) break;
    out.push(result.value);
  }
  return out;
}
