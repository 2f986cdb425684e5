import { sql } from 'drizzle-orm';
import { type BookshopDb, EVENTS_CHANNEL } from './database';
import { eventCounter, eventInbox, events } from './schema';

/** The most events one sequencing statement moves; a larger backlog takes several. */
const SEQUENCE_BATCH = 5000;

/**
 * Numbers the committed events waiting in `event_inbox` and moves them to the
 * log, in one statement: it deletes the oldest inbox rows it can see, takes
 * the counter row, inserts the events numbered from it in inbox order and
 * queues the wake-up for every process's feed. Returns the log's last `seq`
 * afterwards (unchanged when there was nothing to move).
 *
 * Why it cannot skip, repeat or reorder:
 * - Only committed rows are visible to it, and deleting a row locks it: a
 *   sequencer that meets a row another one is moving waits for that one's
 *   commit, then passes over it. Each event is numbered exactly once.
 * - The counter row's lock is held until commit, so sequencing transactions
 *   commit in `seq` order, and a reader that has seen `seq = n` can never
 *   later find a committed event below `n`.
 * - A second sequencer sees every row the first one took (they were committed
 *   before the first one's snapshot), so it waits on them before it reaches
 *   the counter: batches are numbered in the order they were taken. Within a
 *   batch the order is the inbox's `id`; a transaction that depended on
 *   another (waited on its rows) wrote its events after that one committed,
 *   so causes come before effects.
 */
export async function sequenceEvents(db: BookshopDb): Promise<number> {
  const result = await db.execute(sql`
    WITH moved AS (
      DELETE FROM ${eventInbox}
      WHERE id IN (SELECT id FROM ${eventInbox} ORDER BY id LIMIT ${SEQUENCE_BATCH})
      RETURNING id, type, occurred_at, data, topics, trace
    ), taken AS (
      SELECT count(*) AS n FROM moved
    ), counter AS (
      UPDATE ${eventCounter} SET last_seq = last_seq + taken.n
      FROM taken WHERE ${eventCounter.id} = 1 AND taken.n > 0
      RETURNING last_seq, taken.n
    ), logged AS (
      INSERT INTO ${events} (seq, type, occurred_at, data, topics, trace)
      SELECT counter.last_seq - counter.n + row_number() OVER (ORDER BY moved.id),
             moved.type, moved.occurred_at, moved.data, moved.topics, moved.trace
      FROM counter, moved
    )
    SELECT coalesce(
             (SELECT last_seq FROM counter),
             (SELECT last_seq FROM ${eventCounter} WHERE ${eventCounter.id} = 1)
           ) AS last_seq,
           (SELECT n FROM taken) AS moved,
           (SELECT pg_notify(${EVENTS_CHANNEL}, last_seq::text) FROM counter) AS notified`);
  // Both drivers (node-postgres, PGlite) answer with `rows`; bigint arrives as text from one.
  const row = (result as { rows: { last_seq: string | number | null; moved: string | number }[] })
    .rows[0];
  if (row?.last_seq === undefined || row.last_seq === null)
    throw new Error('The event counter row is missing; were the migrations applied?');
  if (Number(row.moved) === SEQUENCE_BATCH) return sequenceEvents(db);
  return Number(row.last_seq);
}

/**
 * One process's sequencer over one database: runs `sequenceEvents` one at a
 * time, and a request while it runs is answered by the next run, which
 * starts when this one ends and serves every request made meanwhile. So a
 * burst of commits costs a few sequencing statements, not one each, and
 * every caller's answer comes from a run that started after it asked.
 */
export class EventSequencer {
  private running?: Promise<number>;
  private queued?: Promise<number>;

  constructor(private readonly db: BookshopDb) {}

  /** Sequences everything committed before this call; resolves with the log's last `seq`. */
  run(): Promise<number> {
    if (!this.running) return this.begin();
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.begin();
      });
    return this.queued;
  }

  private begin(): Promise<number> {
    const run: Promise<number> = sequenceEvents(this.db).finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }
}

const sequencers = new WeakMap<BookshopDb, EventSequencer>();

/** The process's sequencer for a database (shared by its store and its feed). */
export function sequencerFor(db: BookshopDb): EventSequencer {
  let sequencer = sequencers.get(db);
  if (!sequencer) sequencers.set(db, (sequencer = new EventSequencer(db)));
  return sequencer;
}
