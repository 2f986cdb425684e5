import { randomBytes } from 'node:crypto';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { getContainerRuntimeClient } from 'testcontainers';
import { Client } from 'pg';
import { prepareContainerRuntime, runLabels } from './container-runtime';
import { POSTGRES_IMAGE } from './images';

export interface TestPostgres {
  /** A connection URL for the container's database. */
  url: string;
  /** Creates an empty database on the same server and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Faults for resilience tests: the container keeps its data and, with `hostPort`, its address. */
  faults: {
    /** `docker pause`: the server stalls, connections stay open and go unanswered. */
    pause(): Promise<void>;
    unpause(): Promise<void>;
    /** `docker stop`: the server shuts down, connections are closed. */
    stopServer(): Promise<void>;
    /** `docker start` after stopServer. */
    startServer(): Promise<void>;
    /**
     * One server process serving a connection is killed (`kill -9`, as the
     * OOM killer would): Postgres ends every connection, restarts its
     * processes and replays its log before it accepts connections again.
     */
    crashServerProcess(): Promise<void>;
  };
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** Publish on this host port (so a stopped and started server keeps its URL); default random. */
  hostPort?: number;
}

/**
 * A Postgres container of the tests' (image from POSTGRES_IMAGE): database,
 * user and password `bookshop`, and the run's own label, so a clean-up
 * removes what this run started, never another run's containers.
 *
 * Its health check runs `pg_isready` itself, not through a shell as the
 * module's default does: the server is the container's PID 1, so a child the
 * shell leaves behind when the check times out and is killed becomes the
 * server's child, and when that one exits with 2 ("no response") the server
 * takes it for a crashed server process of its own, ends every connection and
 * recovers (with Debian's shell, which forks the command it runs; Alpine's
 * runs it in its place).
 */
export function testPostgresContainer(): PostgreSqlContainer {
  return new PostgreSqlContainer(POSTGRES_IMAGE)
    .withDatabase('bookshop')
    .withUsername('bookshop')
    .withPassword('bookshop')
    .withLabels({ 'org.bookshop.test': 'true', ...runLabels() })
    .withHealthCheck({
      test: [
        'CMD',
        'pg_isready',
        '--host',
        'localhost',
        '--username',
        'bookshop',
        '--dbname',
        'bookshop',
      ],
      interval: 250,
      timeout: 1000,
      retries: 1000,
    });
}

/** Starts a throwaway Postgres container (image from POSTGRES_IMAGE). */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<TestPostgres> {
  await prepareContainerRuntime();
  const container: StartedPostgreSqlContainer = await testPostgresContainer()
    .withExposedPorts(
      options.hostPort === undefined ? 5432 : { container: 5432, host: options.hostPort },
    )
    .start();
  const url = container.getConnectionUri();
  return {
    url,
    createDatabase: (name) => createDatabase(url, name),
    faults: databaseFaults(container.getId()),
    stop: async () => {
      await container.stop();
    },
  };
}

/** The faults of `TestPostgres`, on the container with this id. */
export function databaseFaults(id: string): TestPostgres['faults'] {
  const containers = async () => (await getContainerRuntimeClient()).container;
  const docker = async () => (await containers()).getById(id);
  return {
    pause: async () => {
      await (await docker()).pause();
    },
    unpause: async () => {
      await (await docker()).unpause();
    },
    stopServer: async () => {
      await (await docker()).stop({ t: 5 });
    },
    startServer: async () => {
      await (await docker()).start();
    },
    crashServerProcess: async () => {
      const runtime = await containers();
      // psql over the container's socket (trusted there, in the official image as in ours).
      const { exitCode, output } = await runtime.exec(runtime.getById(id), [
        'sh',
        '-c',
        `pid=$(psql -U "$POSTGRES_USER" -d "$POSTGRES_DB" -Atc "${CLIENT_BACKEND}") && [ -n "$pid" ] && kill -KILL "$pid"`,
      ]);
      if (exitCode !== 0) throw new Error(`no server process was killed: ${output.trim()}`);
    },
  };
}

/** The pid of one server process serving another connection than the asking one. */
const CLIENT_BACKEND =
  "select pid from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid() limit 1";

/** Creates an empty database beside the one `url` names and returns its URL. */
export async function createDatabase(url: string, name: string): Promise<string> {
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
}

/** A fresh database on the run's container (TEST_DATABASE_URL, set by the Jest globalSetup). */
export function freshTestDatabase(prefix: string): Promise<string> {
  const base = process.env['TEST_DATABASE_URL'];
  if (!base) throw new Error('TEST_DATABASE_URL is not set: run through the Jest globalSetup');
  // Jest gives every test file fresh modules, so a counter would repeat: the name is random.
  return createDatabase(base, `${prefix}_${randomBytes(6).toString('hex')}`);
}
