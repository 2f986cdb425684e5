import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { Client } from 'pg';
import { POSTGRES_IMAGE } from './images';

export interface TestPostgres {
  /** A connection URL for the container's database. */
  url: string;
  /** Creates an empty database on the same server and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts a throwaway Postgres container (image from POSTGRES_IMAGE). */
export async function startPostgres(): Promise<TestPostgres> {
  const container: StartedPostgreSqlContainer = await new PostgreSqlContainer(POSTGRES_IMAGE)
    .withDatabase('bookshop')
    .withUsername('bookshop')
    .withPassword('bookshop')
    .withLabels({ 'org.bookshop.test': 'true' })
    .start();
  const url = container.getConnectionUri();
  return {
    url,
    createDatabase: async (name) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      const next = new URL(url);
      next.pathname = `/${name}`;
      return next.toString();
    },
    stop: async () => {
      await container.stop();
    },
  };
}
