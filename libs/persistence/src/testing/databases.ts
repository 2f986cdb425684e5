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

/** A fresh, migrated database on the chosen engine. */
export async function freshDatabase(
  engine: 'pglite' | 'postgres',
  poolSize = 10,
  options: Pick<DatabaseOptions, 'onQuery'> = {},
): Promise<Database> {
  const database =
    engine === 'pglite'
      ? await openDatabase(options)
      : await openDatabase({ url: await emptyPostgresUrl(), poolSize, ...options });
  await database.migrate();
  return database;
}

export { take } from '@bookshop/domain/testing';
