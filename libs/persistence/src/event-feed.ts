import {
  type BookshopEvent,
  type EventFeed,
  type EventSubscription,
  type SubscribeOptions,
} from '@bookshop/domain';
import { and, arrayOverlaps, asc, eq, gt, lte } from 'drizzle-orm';
import { type Database, EVENTS_CHANNEL, type Unlisten } from './database';
import { eventCounter, events } from './schema';

export interface LogEventFeedOptions {
  /** Events read from the log per query (default 500). */
  batchSize?: number;
  /** A subscriber with nothing to read looks again after this long even without a wake-up (default 5000 ms). */
  pollIntervalMs?: number;
  /** Reports a failed read; the subscriber retries after the poll interval. */
  onError?: (error: unknown) => void;
}

/**
 * The live feed over the event log. The log is the truth: a subscription
 * keeps a cursor (`seq`) and reads what follows it. Notifications (LISTEN/
 * NOTIFY on Postgres, across processes; PGlite's in-process NOTIFY) only wake
 * subscriptions up, so a lost notification delays an event, never drops it.
 *
 * Because the log commits in `seq` order (see `events` in schema.ts), reading
 * "after my cursor, up to the latest committed seq" can neither skip an event
 * nor repeat one, however writes interleave with a replay.
 */
export class LogEventFeed implements EventFeed {
  private readonly subscriptions = new Set<LogSubscription>();
  private unlisten?: Unlisten;
  private starting?: Promise<void>;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly onError: (error: unknown) => void;

  constructor(
    private readonly database: Database,
    options: LogEventFeedOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 5000;
    this.onError = options.onError ?? (() => undefined);
  }

  /** Starts listening for commits; the first subscription does it if nobody did. */
  start(): Promise<void> {
    const wakeAll = () => this.subscriptions.forEach((subscription) => subscription.wake());
    this.starting ??= this.database.listen(EVENTS_CHANNEL, wakeAll, wakeAll).then(
      (unlisten) => {
        this.unlisten = unlisten;
      },
      (error: unknown) => {
        // The database is down: the next subscription tries again rather than inheriting this failure.
        this.starting = undefined;
        throw error;
      },
    );
    return this.starting;
  }

  /** Ends every subscription and stops listening. */
  async stop(): Promise<void> {
    [...this.subscriptions].forEach((subscription) => subscription.close());
    await this.starting?.catch(() => undefined);
    await this.unlisten?.();
    this.unlisten = undefined;
    this.starting = undefined;
  }

  async latestSeq(): Promise<number> {
    const [row] = await this.database.db
      .select({ lastSeq: eventCounter.lastSeq })
      .from(eventCounter)
      .where(eq(eventCounter.id, 1));
    return row?.lastSeq ?? 0;
  }

  async subscribe(options: SubscribeOptions): Promise<EventSubscription> {
    await this.start();
    const cursor = options.since ?? (await this.latestSeq());
    const subscription = new LogSubscription(this, [...options.topics], cursor, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Matching events after `cursor`, and the seq the caller has now seen everything up to. */
  async readAfter(
    cursor: number,
    topics: string[],
  ): Promise<{ events: BookshopEvent[]; upTo: number }> {
    const latest = await this.latestSeq();
    if (latest <= cursor) return { events: [], upTo: cursor };
    const rows = await this.database.db
      .select()
      .from(events)
      .where(
        and(gt(events.seq, cursor), lte(events.seq, latest), arrayOverlaps(events.topics, topics)),
      )
      .orderBy(asc(events.seq))
      .limit(this.batchSize);
    const full = rows.length === this.batchSize;
    return {
      events: rows.map(
        (row) =>
          ({
            seq: row.seq,
            type: row.type,
            occurredAt: row.occurredAt.toISOString(),
            data: row.data,
          }) as BookshopEvent,
      ),
      upTo: full ? (rows[rows.length - 1]?.seq ?? latest) : latest,
    };
  }
}

class LogSubscription implements EventSubscription {
  private readonly buffer: BookshopEvent[] = [];
  private closed = false;
  private wakeups = 0;
  private waiter?: () => void;

  constructor(
    private readonly feed: LogEventFeed,
    private readonly topics: string[],
    private cursor: number,
    private readonly onClose: () => void,
  ) {}

  wake(): void {
    this.wakeups++;
    this.waiter?.();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
    this.waiter?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<BookshopEvent> {
    return {
      next: () => this.next(),
      return: () => {
        this.close();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  private async next(): Promise<IteratorResult<BookshopEvent>> {
    while (!this.closed) {
      const event = this.buffer.shift();
      if (event) return { done: false, value: event };
      const wakeupsBefore = this.wakeups;
      try {
        const { events, upTo } = await this.feed.readAfter(this.cursor, this.topics);
        this.cursor = upTo;
        this.buffer.push(...events);
      } catch (error) {
        this.feed.onError(error);
        await this.sleep();
        continue;
      }
      // A wake-up during the read may be for an event the read did not see yet: read again.
      if (this.buffer.length === 0 && wakeupsBefore === this.wakeups) await this.sleep();
    }
    return { done: true, value: undefined };
  }

  /** Waits for a wake-up, a close, or the poll interval, whichever comes first. */
  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.feed.pollIntervalMs);
      this.waiter = done;
      if (this.closed) done();
    });
  }
}
