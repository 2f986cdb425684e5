import { prepareContainerRuntime } from './container-runtime';
import { startPostgres, type TestPostgres } from './postgres';

declare global {
  var __BOOKSHOP_POSTGRES__: TestPostgres | undefined;
}

/**
 * Jest globalSetup: one Postgres container for the whole run, its URL in
 * TEST_DATABASE_URL. Tests create their own databases on it when they need a
 * clean one.
 */
export default async function setup(): Promise<void> {
  await prepareContainerRuntime();
  const postgres = await startPostgres();
  globalThis.__BOOKSHOP_POSTGRES__ = postgres;
  process.env['TEST_DATABASE_URL'] = postgres.url;
}
