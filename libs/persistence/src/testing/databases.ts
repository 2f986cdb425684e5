import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type Database, type DatabaseOptions, openDatabase } from '../database';

/** An empty database on the run's Postgres server (TEST_DATABASE_URL, set by the jest globalSetup). */
export async function emptyPostgresUrl(): Promise<string> {
  const base = process.env['TEST_DATABASE_URL'];
  if (!base) throw new Error('TEST_DATABASE_URL is not set; run through the int-test target');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** One migrated embedded database, dumped: every fresh PGlite of this process starts from it. */
let migratedPglite: Promise<Blob> | undefined;

async function dumpMigratedPglite(): Promise<Blob> {
  const database = await openDatabase({});
  try {
    await database.migrate();
    const pglite = database.pglite;
    if (!pglite) throw new Error('an embedded database without its engine');
    return await pglite.dumpDataDir('none');
  } finally {
    await database.close();
  }
}

/**
 * A fresh, migrated database on the chosen engine. An embedded one is a copy
 * of one migrated in this process (creating a cluster takes seconds; loading
 * a copy, one), so each test still gets a database of its own.
 */
export async function freshDatabase(
  engine: 'pglite' | 'postgres',
  poolSize = 10,
  options: Pick<DatabaseOptions, 'onQuery'> = {},
): Promise<Database> {
  const database =
    engine === 'pglite'
      ? await openDatabase({
          ...options,
          pgliteSnapshot: await (migratedPglite ??= dumpMigratedPglite()),
        })
      : await openDatabase({ url: await emptyPostgresUrl(), poolSize, ...options });
  await database.migrate();
  return database;
}

export { take } from '@bookshop/domain/testing';
