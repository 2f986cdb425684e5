import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { Client, Pool } from 'pg';
import { schema } from './schema';

/** The Drizzle handle both engines share; a transaction is one too. */
export type BookshopDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export type Unlisten = () => Promise<void>;

/** The channel on which committed transactions announce new events. */
export const EVENTS_CHANNEL = 'bookshop_events';

/** The advisory lock key (`pg_advisory_lock`) that serialises migrations: "bookshop" in ASCII. */
export const MIGRATION_LOCK = 0x626f6f6b73686f70n.toString();

/**
 * One database, whichever engine holds it: Postgres through node-postgres,
 * or PGlite embedded in the process (in memory or in a folder).
 */
export interface Database {
  readonly engine: 'postgres' | 'pglite';
  readonly db: BookshopDb;
  /** The connection URL, for Postgres. */
  readonly url?: string;
  /** The embedded engine itself, for PGlite (to serve it over the wire: PgliteServer). */
  readonly pglite?: PGlite;
  /** The Postgres pool's connections now (none for PGlite, which has one session). */
  poolStats?(): { total: number; idle: number; waiting: number };
  /** Calls `onNotify` for every NOTIFY on `channel`, and `onReconnect` after a lost listener is back. */
  listen(channel: string, onNotify: () => void, onReconnect?: () => void): Promise<Unlisten>;
  /** Resolves when the database answers a query; rejects after the ping timeout otherwise. */
  ping(): Promise<void>;
  /**
   * The longest a request may wait on this database (connect, pool and
   * queries); past it the store fails with UNAVAILABLE. Absent for the
   * embedded engine, which runs in the process and cannot stall apart from it.
   */
  readonly deadlineMs?: number;
  /** Applies the committed SQL migrations that have not run yet. */
  migrate(migrationsFolder?: string): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…`; absent means embedded PGlite. */
  url?: string;
  /** PGlite's data folder; absent means in memory. Ignored with `url`. */
  pgliteDir?: string;
  /**
   * An in-memory PGlite starts as a copy of this dump (PGlite's
   * `dumpDataDir`) instead of an empty cluster: much faster than creating
   * one, for tests that each want a fresh, migrated database.
   */
  pgliteSnapshot?: Blob;
  /** Connections in the Postgres pool (default 10). */
  poolSize?: number;
  /** How long Postgres may take before a request fails with UNAVAILABLE (see DatabaseTimeouts). */
  timeouts?: Partial<DatabaseTimeouts>;
  /** Called when the pool or the listener reports an error it recovers from. */
  onError?: (error: Error) => void;
  /** Called with the SQL of every query the store runs (for debug logs and query counts). */
  onQuery?: (sql: string) => void;
}

/**
 * The deadlines of every wait on Postgres (ARCHITECTURE.md rule 11). With the
 * defaults, every request during an outage fails within 5 s with
 * UNAVAILABLE, and readiness turns within the ping timeout.
 */
export interface DatabaseTimeouts {
  /** A request's whole wait on the database: pool, connect and every statement (default 5000 ms). */
  deadlineMs: number;
  /** Opening a connection, or waiting for a free one in the pool (default: the deadline). */
  connectMs: number;
  /** One statement: `statement_timeout` on the server and a read timeout on the client (default: the deadline). */
  statementMs: number;
  /** The readiness probe's query (default 1000 ms). */
  pingMs: number;
}

export function databaseTimeouts(given: Partial<DatabaseTimeouts> = {}): DatabaseTimeouts {
  const deadlineMs = given.deadlineMs ?? 5000;
  return {
    deadlineMs,
    connectMs: given.connectMs ?? deadlineMs,
    statementMs: given.statementMs ?? deadlineMs,
    pingMs: given.pingMs ?? 1000,
  };
}

function queryLogger(onQuery: DatabaseOptions['onQuery']) {
  return onQuery ? { logQuery: (query: string) => onQuery(query) } : undefined;
}

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openPglite(options.pgliteDir, options);
}

/**
 * Where the committed migrations are: `MIGRATIONS_DIR` if set, else beside
 * the bundle (apps copy them there), else in this library's source tree.
 */
export function resolveMigrationsFolder(): string {
  const candidates = [
    process.env['MIGRATIONS_DIR'],
    join(__dirname, 'migrations'),
    join(__dirname, '../migrations'),
  ].filter((dir): dir is string => !!dir);
  const found = candidates.find((dir) => existsSync(join(dir, 'meta/_journal.json')));
  if (!found) throw new Error(`No migrations found in ${candidates.join(', ')}`);
  return found;
}

function openPostgres(url: string, options: DatabaseOptions): Database {
  const onError = options.onError ?? (() => undefined);
  const timeouts = databaseTimeouts(options.timeouts);
  const connection = {
    connectionString: url,
    connectionTimeoutMillis: timeouts.connectMs,
    // Ends a statement the server runs too long, and frees its locks.
    statement_timeout: timeouts.statementMs,
    // Gives up on a server that stopped answering (paused, partitioned): the server cannot say so itself.
    query_timeout: timeouts.statementMs,
    keepAlive: true,
  };
  const pool = new Pool({ ...connection, max: options.poolSize ?? 10 });
  // An idle client that loses its connection emits here; without a listener it would crash the process.
  pool.on('error', onError);
  // pg-pool listens on a client only while it is idle: one checked out (held by a
  // transaction between statements) that loses its connection would emit 'error'
  // with no listener and end the process. Every client gets one for its whole life;
  // the pool drops a broken client when it comes back.
  pool.on('connect', (client) => {
    client.on('error', onError);
  });
  const probe = healthProbe({ ...connection, query_timeout: timeouts.pingMs }, timeouts.pingMs);
  const db = drizzlePg(pool, {
    schema,
    casing: 'snake_case',
    logger: queryLogger(options.onQuery),
  }) as unknown as BookshopDb;

  return {
    engine: 'postgres',
    db,
    url,
    deadlineMs: timeouts.deadlineMs,
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
    listen: (channel, onNotify, onReconnect) =>
      listenPostgres(connection, channel, onNotify, onReconnect, onError),
    ping: () => probe.ping(),
    migrate: async (folder) => {
      // Replicas that start together would otherwise race to create drizzle's
      // journal table and apply the same migration twice: one holds a
      // session-level advisory lock while it migrates, the others wait for it.
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
        try {
          // The migrator runs the committed SQL as it is: no schema or casing needed.
          await migratePg(drizzlePg(client), {
            migrationsFolder: folder ?? resolveMigrationsFolder(),
          });
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
        }
      } finally {
        client.release();
      }
    },
    close: async () => {
      probe.close();
      await pool.end();
    },
  };
}

type ConnectionConfig = ConstructorParameters<typeof Client>[0] & object;

/**
 * Readiness asks the database on a connection of its own, so a pool busy with
 * requests cannot make a healthy database look down, and a stalled one is
 * reported within `timeoutMs`. A connection that failed to open, failed or
 * timed out is dropped and the next ping opens a new one.
 */
function healthProbe(config: ConnectionConfig, timeoutMs: number) {
  /** The probe's connection, and its opening: every ping waits for that first. */
  let client: { pg: Client; opened: Promise<unknown> } | undefined;
  const drop = (which: NonNullable<typeof client>) => {
    if (client === which) client = undefined;
    // A stalled server may never answer the goodbye: close the socket ourselves.
    which.pg.end().catch(() => undefined);
    (
      which.pg as unknown as { connection?: { stream?: { destroy(): void } } }
    ).connection?.stream?.destroy();
  };
  const open = () => {
    const pg = new Client(config);
    const opening = { pg, opened: pg.connect() };
    pg.on('error', () => drop(opening));
    client = opening;
    return opening;
  };
  const attempt = async () => {
    const current = client ?? open();
    try {
      // A connection refused must not stay the probe's: a query on it would wait forever.
      await current.opened;
      await current.pg.query('select 1');
    } catch (error) {
      drop(current);
      throw error;
    }
  };
  return {
    ping: () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          if (client) drop(client);
          reject(new Error(`The database did not answer a ping within ${timeoutMs} ms`));
        }, timeoutMs);
      });
      return Promise.race([attempt(), timeout]).finally(() => clearTimeout(timer));
    },
    close: () => {
      if (client) drop(client);
    },
  };
}

/**
 * A dedicated connection for LISTEN. Notifications only wake readers (the log
 * is the truth), so after a reconnect `onReconnect` lets them catch up on
 * whatever was committed while nobody listened.
 */
async function listenPostgres(
  config: ConnectionConfig,
  channel: string,
  onNotify: () => void,
  onReconnect: (() => void) | undefined,
  onError: (error: Error) => void,
): Promise<Unlisten> {
  let client: Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    // No read timeout: a listener waits for notifications, which may be minutes apart.
    const next = new Client({ ...config, query_timeout: undefined, statement_timeout: undefined });
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    next.on('error', (error) => {
      onError(error);
      scheduleReconnect();
    });
    next.on('end', () => scheduleReconnect());
    try {
      await next.connect();
      await next.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (error) {
      next.removeAllListeners('end');
      await next.end().catch(() => undefined);
      throw error;
    }
    client = next;
  };

  const scheduleReconnect = () => {
    if (stopped || retry) return;
    client = undefined;
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(
        () => onReconnect?.(),
        (error: Error) => {
          onError(error);
          scheduleReconnect();
        },
      );
    }, 500);
  };

  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const current = client;
    client = undefined;
    await current?.end().catch(() => undefined);
  };
}

/**
 * Claims an embedded database's folder for this process. PGlite runs inside
 * the process that opens it, so a second process on the same folder would
 * work on its own copy and the two would silently diverge; it is refused
 * instead. A claim left by a process that has ended is taken over.
 */
export function claimDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lock = join(dataDir, 'bookshop.lock');
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new Error(
          `PGLITE_DIR ${dataDir} is in use by process ${holder}: an embedded database belongs to ` +
            'one process. Run the services together with `npm start` (one shared database), ' +
            'give each its own PGLITE_DIR, or point them at Postgres with DATABASE_URL.',
        );
      }
      rmSync(lock, { force: true });
    }
  }
  return () => {
    if (existsSync(lock) && readFileSync(lock, 'utf8').trim() === String(process.pid))
      rmSync(lock, { force: true });
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openPglite(
  dataDir: string | undefined,
  options: DatabaseOptions,
): Promise<Database> {
  const release = dataDir ? claimDataDir(dataDir) : () => undefined;
  let client: PGlite;
  try {
    client =
      dataDir === undefined && options.pgliteSnapshot
        ? new PGlite({ loadDataDir: options.pgliteSnapshot })
        : new PGlite(dataDir);
    await client.waitReady;
  } catch (error) {
    release();
    throw error;
  }
  const db = drizzlePglite(client, {
    schema,
    casing: 'snake_case',
    logger: queryLogger(options.onQuery),
  }) as unknown as BookshopDb;

  return {
    engine: 'pglite',
    db,
    pglite: client,
    listen: async (channel, onNotify) => {
      const unsubscribe = await client.listen(channel, () => onNotify());
      return () => unsubscribe();
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    migrate: async (folder) => {
      await migratePglite(db as never, { migrationsFolder: folder ?? resolveMigrationsFolder() });
    },
    close: async () => {
      try {
        if (!client.closed) await client.close();
      } finally {
        release();
      }
    },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
