import { createDatabase, startPostgres, type TestPostgres } from '@bookshop/testing';

/** A fresh database for one benchmark run, and how to let go of what it started. */
export interface BenchDatabase {
  url: string;
  /** Stops the Postgres container it started, if it started one. */
  stop(): Promise<void>;
}

/**
 * A new database named `<prefix>_<time>` on DATABASE_URL's server, else on a
 * Postgres container started for the run (POSTGRES_IMAGE).
 */
export async function benchDatabase(prefix: string): Promise<BenchDatabase> {
  let postgres: TestPostgres | undefined;
  let base = process.env['DATABASE_URL'];
  if (!base) {
    console.log('Starting a Postgres container…');
    postgres = await startPostgres();
    base = postgres.url;
  }
  try {
    return {
      url: await createDatabase(base, `${prefix}_${Date.now()}`),
      stop: async () => {
        await postgres?.stop();
      },
    };
  } catch (error) {
    await postgres?.stop();
    throw error;
  }
}
