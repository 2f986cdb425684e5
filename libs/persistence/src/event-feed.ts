import {
  type BookshopEvent,
  type EventFeed,
  type EventSubscription,
  type SubscribeOptions,
} from '@bookshop/domain';
import { and, arrayOverlaps, asc, eq, gt, lte } from 'drizzle-orm';
import { type Database, EVENTS_CHANNEL, type Unlisten } from './database';
import { sequencerFor } from './event-sequencer';
import { eventCounter, events } from './schema';

export interface LogEventFeedOptions {
  /** Events read from the log per query (default 500). */
  batchSize?: number;
  /** With nothing new, the feed looks again after this long even without a wake-up (default 5000 ms). */
  pollIntervalMs?: number;
  /**
   * The most events a live subscription holds that its consumer has not
   * taken (default 1000). Past it, the subscription stops taking the shared
   * reads and, once its consumer has taken what it holds, reads the log
   * itself from its cursor until it catches up: a slow consumer costs
   * bounded memory and loses nothing.
   */
  liveBufferSize?: number;
  /** Reports a failed read; the feed retries on the next wake-up or poll. */
  onError?: (error: unknown) => void;
}

/**
 * The live feed over the event log. The log is the truth: every
 * subscription has a cursor (`seq`), and what it is handed is what follows
 * its cursor. Notifications (LISTEN/NOTIFY on Postgres, across processes;
 * PGlite's in-process NOTIFY) only wake the feed up, so a lost notification
 * delays an event, never drops it.
 *
 * One reader per process: a commit wakes one read of the log (every topic,
 * after the feed's live cursor), and the feed hands each live subscription
 * what matches its topics from memory. A subscription that starts behind the
 * live cursor (a replay from an old `since`, or one whose consumer fell
 * behind) reads the log on its own until it reaches the live cursor, then
 * joins. So a write costs each process the same two statements however many
 * subscribers it has, and an idle process one statement per poll interval.
 *
 * Because the log commits in `seq` order (see event-sequencer.ts), reading
 * "after a cursor, up to the latest committed seq" can neither skip an event
 * nor repeat one; a subscription takes only events after its own cursor, so
 * joining the shared reads repeats nothing either.
 */
export class LogEventFeed implements EventFeed {
  private readonly subscriptions = new Set<LogSubscription>();
  private unlisten?: Unlisten;
  private starting?: Promise<void>;
  private poller?: NodeJS.Timeout;
  /** Everything up to here has been handed to the live subscriptions. */
  private live = 0;
  private reading = false;
  private readAgain = false;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly liveBufferSize: number;
  readonly onError: (error: unknown) => void;

  constructor(
    private readonly database: Database,
    options: LogEventFeedOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 5000;
    this.liveBufferSize = options.liveBufferSize ?? 1000;
    this.onError = options.onError ?? (() => undefined);
  }

  /** The live cursor: subscriptions at or past it take the shared reads. */
  get liveSeq(): number {
    return this.live;
  }

  /** Starts listening for commits; the first subscription does it if nobody did. */
  start(): Promise<void> {
    this.starting ??= this.database
      .listen(
        EVENTS_CHANNEL,
        () => void this.readLive(),
        () => void this.poll(),
      )
      .then(async (unlisten) => {
        this.unlisten = unlisten;
        // Listening first: a commit after this read wakes the feed.
        this.live = Math.max(this.live, await this.latestSeq());
        this.poller = setInterval(() => void this.poll(), this.pollIntervalMs);
        this.poller.unref();
      })
      .catch((error: unknown) => {
        // The database is down: the next subscription tries again rather than inheriting this failure.
        void this.unlisten?.();
        this.unlisten = undefined;
        this.starting = undefined;
        throw error;
      });
    return this.starting;
  }

  /** Ends every subscription and stops listening. */
  async stop(): Promise<void> {
    [...this.subscriptions].forEach((subscription) => subscription.close());
    clearInterval(this.poller);
    this.poller = undefined;
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
    const latest = await this.latestSeq();
    // With nobody listening the shared reads stop; the first subscription moves the live cursor on.
    if (this.subscriptions.size === 0) this.live = Math.max(this.live, latest);
    const cursor = options.since ?? latest;
    const subscription = new LogSubscription(this, [...options.topics], cursor, () =>
      this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /**
   * The slow poll, and what a reconnected listener does: numbers any events a
   * writer committed but did not get to number (it stopped, or lost the
   * database just after its commit), then reads if the log has moved past the
   * live cursor. One statement when nothing has happened.
   */
  private async poll(): Promise<void> {
    try {
      const latest = await sequencerFor(this.database.db).run();
      if (latest > this.live) await this.readLive();
    } catch (error) {
      this.onError(error);
    }
  }

  /**
   * The one shared read: every event after the live cursor, handed to the
   * live subscriptions. A wake-up during a read makes it read again when done.
   */
  private async readLive(): Promise<void> {
    if (this.subscriptions.size === 0) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        for (;;) {
          if (this.subscriptions.size === 0) break;
          const { events, upTo, full } = await this.read(this.live);
          for (const event of events)
            for (const subscription of this.subscriptions) subscription.offer(event);
          this.live = Math.max(this.live, upTo);
          if (!full) break;
        }
      } while (this.readAgain);
    } catch (error) {
      this.onError(error);
    } finally {
      this.reading = false;
    }
  }

  /** Events after `cursor` (of `topics`, or every one), and the seq the caller has now seen everything up to. */
  async read(
    cursor: number,
    topics?: readonly string[],
  ): Promise<{ events: LoggedEvent[]; upTo: number; full: boolean }> {
    const latest = await this.latestSeq();
    if (latest <= cursor) return { events: [], upTo: cursor, full: false };
    const rows = await this.database.db
      .select()
      .from(events)
      .where(
        and(
          gt(events.seq, cursor),
          lte(events.seq, latest),
          topics ? arrayOverlaps(events.topics, [...topics]) : undefined,
        ),
      )
      .orderBy(asc(events.seq))
      .limit(this.batchSize);
    const full = rows.length === this.batchSize;
    return {
      events: rows.map((row) => ({
        topics: row.topics,
        event: {
          seq: row.seq,
          type: row.type,
          occurredAt: row.occurredAt.toISOString(),
          data: row.data,
          ...(row.trace ? { trace: row.trace } : {}),
        } as BookshopEvent,
      })),
      upTo: full ? (rows[rows.length - 1]?.seq ?? latest) : latest,
      full,
    };
  }
}

/** An event as the log holds it: with the topics it is published on. */
interface LoggedEvent {
  topics: string[];
  event: BookshopEvent;
}

class LogSubscription implements EventSubscription {
  private readonly buffer: BookshopEvent[] = [];
  private readonly topics: Set<string>;
  private closed = false;
  /** Taking the shared reads (else reading the log itself until it catches up). */
  private live = false;
  private waiter?: () => void;

  constructor(
    private readonly feed: LogEventFeed,
    topics: string[],
    /** Everything up to here has been put in the buffer or skipped as another topic's. */
    private cursor: number,
    private readonly onClose: () => void,
  ) {
    this.topics = new Set(topics);
    this.live = cursor >= feed.liveSeq;
  }

  /** A shared read's event: taken when live, after the cursor, and on one of its topics. */
  offer({ event, topics }: LoggedEvent): void {
    if (!this.live || this.closed || event.seq <= this.cursor) return;
    this.cursor = event.seq;
    if (!topics.some((topic) => this.topics.has(topic))) return;
    this.buffer.push(event);
    // Its consumer is behind: stop taking the shared reads and catch up from the log later.
    if (this.buffer.length >= this.feed.liveBufferSize) this.live = false;
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
      if (this.live) {
        await this.sleep();
        continue;
      }
      try {
        const { events, upTo } = await this.feed.read(this.cursor, [...this.topics]);
        this.buffer.push(...events.map((logged) => logged.event));
        this.cursor = upTo;
      } catch (error) {
        this.feed.onError(error);
        await this.sleep();
        continue;
      }
      // Caught up: from here on the shared reads hand it what follows its cursor.
      if (this.cursor >= this.feed.liveSeq) this.live = true;
    }
    return { done: true, value: undefined };
  }

  /** Waits for an event, a close, or the poll interval, whichever comes first. */
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
