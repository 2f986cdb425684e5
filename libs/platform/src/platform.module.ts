import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BatchReads, Bookshop, randomIds, systemClock } from '@bookshop/domain';
import {
  type Database,
  DrizzleStore,
  isOutage,
  LogEventFeed,
  openDatabase,
  seedDemoCatalogue,
} from '@bookshop/persistence';
import { LoggerModule } from 'nestjs-pino';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeys } from './api-keys';
import { untilAvailable } from './database-startup';
import { type ServiceConfig } from './config';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { currentTraceparent, Telemetry, TELEMETRY } from './telemetry';
import { RateLimits } from './rate-limits';
import { loggerOptions } from './logging';
import { DATABASE, EVENT_FEED, SERVICE_CONFIG } from './tokens';

/**
 * Opens the database the config names, applies the committed migrations and,
 * on a fresh embedded database, writes the demo catalogue.
 */
export async function connectDatabase(
  config: ServiceConfig,
  logger = new Logger('Database'),
): Promise<Database> {
  // A database still starting up, recovering from a crash or restarting: wait for it.
  return untilAvailable(() => prepareDatabase(config, logger), {
    withinMs: STARTUP_WAIT_MS,
    everyMs: 500,
    onWait: (error) =>
      logger.warn(
        { event: 'database-not-yet-available', err: error },
        'The database is starting up or recovering; trying again',
      ),
  });
}

/** How long a starting service waits for a database that is starting up or recovering. */
const STARTUP_WAIT_MS = 30_000;

async function prepareDatabase(config: ServiceConfig, logger: Logger): Promise<Database> {
  const database = await openDatabase({
    url: config.database.url,
    pgliteDir: config.database.pgliteDir,
    poolSize: config.database.poolSize,
    timeouts: config.database.timeouts,
    onError: (error) => logger.warn({ err: error }, 'database connection error'),
    ...(config.logLevel === 'debug' || config.logLevel === 'trace'
      ? { onQuery: (sql: string) => logger.debug({ event: 'sql', sql }, 'query') }
      : {}),
  });
  try {
    await database.migrate();
    const where =
      database.engine === 'postgres'
        ? 'Postgres'
        : `PGlite (${config.database.pgliteDir ?? 'in memory'})`;
    if (config.seedDemoData && (await seedDemoCatalogue(database))) {
      logger.log(`Seeded the demo catalogue into ${where}`);
    }
    logger.log(`Database ready: ${where}`);
    return database;
  } catch (error) {
    await database.close().catch(() => undefined);
    if (!config.database.url) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const problem = isOutage(error) ? 'cannot reach the database' : 'cannot prepare the database';
    throw new Error(`${problem} at DATABASE_URL (${redactedUrl(config.database.url)}): ${reason}`, {
      cause: error,
    });
  }
}

/** A database URL fit for a log line: no password, no query. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${parsed.username}@` : '';
    return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'not a URL';
  }
}

/** How often a service deletes idempotency records past their retention. */
const IDEMPOTENCY_SWEEP_MS = 15 * 60_000;

/**
 * Ends live subscriptions, then closes the database, when the application
 * shuts down; while it runs, sweeps expired idempotency keys now and then
 * (every replica does; the sweep skips rows another holds, so they share it).
 */
@Injectable()
class DatabaseLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private sweeper?: NodeJS.Timeout;

  constructor(
    @Inject(DATABASE) private readonly database: Database,
    @Inject(EVENT_FEED) private readonly feed: LogEventFeed,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  onApplicationBootstrap(): void {
    const store = new DrizzleStore(this.database.db, {
      deadlineMs: this.database.deadlineMs,
      idempotencyRetentionMs: this.config.idempotencyRetentionMs,
    });
    this.sweeper = setInterval(() => {
      store.sweepIdempotencyKeys().then(
        (deleted) => {
          if (deleted > 0) this.logger.log({ deleted }, 'removed expired idempotency keys');
        },
        (error: unknown) =>
          this.logger.warn(
            { err: error },
            'removing expired idempotency keys failed; retrying later',
          ),
      );
    }, IDEMPOTENCY_SWEEP_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await this.feed.stop();
    await this.database.close();
  }
}

/**
 * The plumbing every service shares: config, logging, the database with its
 * Bookshop and event feed, API-key auth and the health endpoints.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: PlatformModule,
      global: true,
      imports: [LoggerModule.forRoot(loggerOptions(config)), TerminusModule],
      controllers: config.metrics ? [HealthController, MetricsController] : [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        {
          provide: Telemetry,
          inject: [DATABASE],
          useFactory: (database: Database) => {
            const telemetry = new Telemetry(config.service);
            telemetry.gaugeOnScrape(
              TELEMETRY.pool,
              'Database pool connections, by state (total, idle, waiting for one).',
              'state',
              () => database.poolStats?.(),
            );
            return telemetry;
          },
        },
        { provide: DATABASE, useFactory: () => connectDatabase(config) },
        {
          provide: Bookshop,
          inject: [DATABASE, Telemetry],
          useFactory: (database: Database, telemetry: Telemetry) =>
            new Bookshop({
              store: new DrizzleStore(database.db, {
                deadlineMs: database.deadlineMs,
                traceparent: currentTraceparent,
                idempotencyRetentionMs: config.idempotencyRetentionMs,
              }),
              clock: systemClock,
              ids: randomIds,
              observer: telemetry,
            }),
        },
        {
          provide: BatchReads,
          inject: [DATABASE],
          useFactory: (database: Database) =>
            new BatchReads(new DrizzleStore(database.db, { deadlineMs: database.deadlineMs })),
        },
        {
          provide: EVENT_FEED,
          inject: [DATABASE],
          useFactory: (database: Database) => {
            const logger = new Logger('EventFeed');
            return new LogEventFeed(database, {
              onError: (error) =>
                logger.warn({ err: error }, 'reading the event log failed; retrying'),
            });
          },
        },
        { provide: ApiKeys, useValue: new ApiKeys(config.apiKeys) },
        { provide: RateLimits, useValue: new RateLimits(config.rateLimits) },
        ApiKeyGuard,
        DatabaseLifecycle,
      ],
      exports: [
        SERVICE_CONFIG,
        DATABASE,
        Bookshop,
        BatchReads,
        EVENT_FEED,
        Telemetry,
        ApiKeys,
        RateLimits,
        ApiKeyGuard,
      ],
    };
  }
}
