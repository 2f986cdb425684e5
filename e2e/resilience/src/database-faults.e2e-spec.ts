import { randomUUID } from 'node:crypto';
import {
  type BookshopClient,
  type BookshopEvents,
  connect,
  type ClientSubscription,
  PROTOCOLS,
  type Protocol,
} from '@bookshop/clients';
import { type BookshopEvent } from '@bookshop/domain';
import {
  type RunningService,
  startPostgres,
  startService,
  type TestPostgres,
  uniqueIsbn,
} from '@bookshop/testing';
import { Client } from 'pg';
import {
  type CallResult,
  DEADLINE_MS,
  freePort,
  KEY,
  measured,
  REPLY_SLACK_MS,
  report,
  sleep,
  statusOf,
  when,
} from './support';

/** How long the load goes on sending one order again with its key before it gives up on it. */
const RETRY_FOR_MS = 30_000;

/** One order of the load: its idempotency key, how often it was sent, and the order it got. */
interface KeyedWrite {
  protocol: Protocol;
  key: string;
  attempts: number;
  orderId?: string;
}

/** Database restarts in the restart case (RESILIENCE_RESTARTS, default 2; the figure used 5). */
const RESTARTS = Number(process.env['RESILIENCE_RESTARTS'] ?? 2);
const INITIAL_STOCK = 1_000_000;

/**
 * The five services on one Postgres container while the database stops,
 * starts, stalls, crashes and a service is killed: no process exits, every failure is
 * UNAVAILABLE within the deadline, readiness follows the database, live
 * subscriptions resume, and afterwards nothing is lost or counted twice.
 */
describe('the five services through database faults', () => {
  let postgres: TestPostgres;
  let databaseUrl: string;
  const services = {} as Record<Protocol, RunningService>;
  const clients = {} as Record<Protocol, BookshopClient>;
  let bookId: string;
  const results: CallResult[] = [];
  const seen: Record<'websocket' | 'graphql', BookshopEvent[]> = { websocket: [], graphql: [] };
  const subscriptions: ClientSubscription[] = [];
  /** Every order the load meant to place, with the order it was answered with in the end. */
  const writes: KeyedWrite[] = [];
  /** The loads still running: a case that fails before stopping its load leaves it to afterEach. */
  const loads = new Set<() => Promise<void>>();

  const start = async (protocol: Protocol) => {
    services[protocol] = await startService(protocol, {
      env: {
        DATABASE_URL: databaseUrl,
        API_KEYS: KEY,
        RATE_LIMIT_READS: '0',
        RATE_LIMIT_WRITES: '0',
      },
      keepLogs: false,
    });
    clients[protocol] = await connect(protocol, { url: services[protocol].url, apiKey: KEY });
  };

  /**
   * Every protocol places one-copy orders and reads the book back, until
   * `stop`. Each order has an idempotency key and is sent again with it until
   * it is answered (CONTRACT.md, "Safe retries"), as a careful client would:
   * whether a failed attempt committed or not, the key makes it one order.
   */
  const load = () => {
    let running = true;
    const loops = PROTOCOLS.map(async (protocol) => {
      while (running) {
        const write: KeyedWrite = { protocol, key: randomUUID(), attempts: 0 };
        writes.push(write);
        const givingUp = performance.now() + RETRY_FOR_MS;
        while (write.orderId === undefined && performance.now() < givingUp) {
          write.attempts += 1;
          // The client of this moment: a service that was killed has a new one.
          const client = clients[protocol];
          const attempt = await measured(
            protocol,
            () =>
              client.placeOrder(
                { lines: [{ bookId, quantity: 1 }] },
                { idempotencyKey: write.key },
              ),
            true,
          );
          results.push(attempt);
          if (attempt.outcome === 'ok') write.orderId = attempt.orderId;
          else await sleep(100);
        }
        results.push(await measured(protocol, () => clients[protocol].getBook({ id: bookId })));
        await sleep(25);
      }
    });
    const stop = async () => {
      running = false;
      loads.delete(stop);
      await Promise.all(loops);
    };
    loads.add(stop);
    return stop;
  };

  const readiness = (protocol: Protocol) =>
    statusOf(`${services[protocol].url}/health/ready`, 1500);
  const allReady = async (status: number) =>
    (await Promise.all(PROTOCOLS.map(readiness))).every((answer) => answer === status);
  const databaseAnswers = async () => {
    const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 500 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  const noServiceExited = () =>
    PROTOCOLS.filter((protocol) => services[protocol].process.exitCode !== null);

  /**
   * What every outage must come to: no process exited, the outage was seen,
   * every failure was UNAVAILABLE within the deadline, and every protocol's
   * last call succeeded again.
   */
  /**
   * Readiness follows the database: waits for it to answer again, then for all five to
   * answer `/health/ready` 200 within 2 s of that, and reports both times (`since`: when
   * the fault ended).
   */
  const expectReadyAfterRecovery = async (what: string, since: number) => {
    const recovered = await when(databaseAnswers, 'the database accepts connections', 30_000, 50);
    const ready = await when(() => allReady(200), 'all five answer /health/ready 200', 5000);
    report(`${what}: recovery`, {
      databaseAnswersMs: recovered - since,
      readyAfterItMs: ready - recovered,
    });
    expect(ready - recovered).toBeLessThan(2000);
  };

  const expectOutageHandled = (
    what: string,
    calls: CallResult[],
    figures: Record<string, number>,
  ) => {
    const failures = calls.filter((call) => call.outcome !== 'ok');
    const slowestMs = Math.max(...calls.map((call) => call.ms));
    report(what, { ...figures, calls: calls.length, unavailable: failures.length, slowestMs });
    expect(noServiceExited()).toEqual([]);
    expect(failures.length).toBeGreaterThan(0);
    expect([...new Set(failures.map((call) => call.outcome))]).toEqual(['UNAVAILABLE']);
    expect(slowestMs).toBeLessThan(DEADLINE_MS + REPLY_SLACK_MS);
    for (const protocol of PROTOCOLS) {
      expect(calls.filter((call) => call.protocol === protocol).at(-1)?.outcome).toBe('ok');
    }
  };

  beforeAll(async () => {
    postgres = await startPostgres({ hostPort: await freePort() });
    databaseUrl = await postgres.createDatabase('resilience');
    await Promise.all(PROTOCOLS.map(start));
    const author = await clients.rest.createAuthor({ name: 'Resilient Author' });
    const book = await clients.rest.createBook({
      title: 'Resilient Book',
      authorId: author.id,
      isbn: uniqueIsbn(),
      priceCents: 100,
      stock: INITIAL_STOCK,
    });
    bookId = book.id;
    for (const protocol of ['websocket', 'graphql'] as const) {
      const events = clients[protocol] as unknown as BookshopEvents;
      subscriptions.push(
        await events.subscribe(['orders'], (event) => seen[protocol].push(event), { since: 0 }),
      );
    }
  }, 120_000);

  afterEach(async () => {
    await Promise.all([...loads].map((stop) => stop()));
  });

  afterAll(async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    await Promise.all(PROTOCOLS.map((protocol) => clients[protocol]?.close()));
    await Promise.all(PROTOCOLS.map((protocol) => services[protocol]?.stop()));
    await postgres?.stop();
  });

  it(`stays up through ${RESTARTS} database restarts under load; readiness turns within 2 s each way`, async () => {
    const from = results.length;
    const stopLoad = load();
    for (let restart = 0; restart < RESTARTS; restart++) {
      await sleep(1000);
      await postgres.faults.stopServer();
      const down = performance.now();
      const notReady = await when(() => allReady(503), 'all five answer /health/ready 503', 5000);
      expect(notReady - down).toBeLessThan(2000);
      await sleep(1500);
      await postgres.faults.startServer();
      await expectReadyAfterRecovery('database restart', performance.now());
    }
    await sleep(1000);
    await stopLoad();

    expectOutageHandled('database restarts', results.slice(from), { restarts: RESTARTS });
  });

  it('answers UNAVAILABLE within the deadline while the database is stalled, and recovers by itself', async () => {
    const from = results.length;
    const stopLoad = load();
    await sleep(1000);
    await postgres.faults.pause();
    const stalled = performance.now();
    try {
      const notReady = await when(() => allReady(503), 'all five answer /health/ready 503', 5000);
      expect(notReady - stalled).toBeLessThan(2000);
      // Longer than the deadline, so requests that were waiting on the database meet it.
      await sleep(DEADLINE_MS + 1500);
    } finally {
      await postgres.faults.unpause();
    }
    // Timed from the database's first answer, as in the restart case: Postgres itself may
    // need seconds after a thaw (a backend the freeze caught as it started can exit
    // abnormally, and the server then restarts all its processes and recovers).
    await expectReadyAfterRecovery('database stall', performance.now());
    await sleep(1500);
    await stopLoad();

    expectOutageHandled('database stall', results.slice(from), { stalledMs: DEADLINE_MS + 1500 });
  });

  it('answers UNAVAILABLE within the deadline while Postgres recovers from a crashed server process, and recovers by itself', async () => {
    const from = results.length;
    const stopLoad = load();
    await sleep(1000);
    await postgres.faults.crashServerProcess();
    await expectReadyAfterRecovery('database crash', performance.now());
    await sleep(1500);
    await stopLoad();

    expectOutageHandled('database crash', results.slice(from), {});
  });

  it('loses nothing when a service is killed with SIGKILL mid-write, and the service restarts cleanly', async () => {
    const stopLoad = load();
    await sleep(1000);
    services.rest.process.kill('SIGKILL');
    await when(
      () => services.rest.process.exitCode !== null || services.rest.process.signalCode !== null,
      'the REST service ended',
      5000,
    );
    await sleep(500);
    await clients.rest.close();
    await start('rest');
    await sleep(1000);
    await stopLoad();
    await expect(clients.rest.getBook({ id: bookId })).resolves.toMatchObject({ id: bookId });
  });

  it('keeps stock, orders and the event log consistent, and subscriptions saw every event once, in order', async () => {
    const sentinel = await clients.jsonrpc.placeOrder({ lines: [{ bookId, quantity: 1 }] });
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const { rows: orders } = await admin.query<{ id: string }>(
        'select distinct o.id from orders o join order_lines l on l.order_id = o.id where l.book_id = $1',
        [bookId],
      );
      const { rows: stock } = await admin.query<{ stock: number }>(
        'select stock from books where id = $1',
        [bookId],
      );
      const { rows: log } = await admin.query<{ seq: string; type: string }>(
        'select seq, type from events order by seq',
      );
      const stored = new Set(orders.map((order) => order.id));

      // Every copy taken belongs to an order that exists, and every order took its copy once.
      expect(stock[0]?.stock).toBe(INITIAL_STOCK - orders.length);
      // Every keyed write was answered in the end, after retries through the faults; the
      // orders stored are exactly the ones they were answered with (and the sentinel):
      // none lost, none placed twice by a retry of an attempt that had committed.
      const retried = writes.filter((write) => write.attempts > 1);
      report('keyed writes', {
        writes: writes.length,
        retried: retried.length,
        attempts: writes.reduce((sum, write) => sum + write.attempts, 0),
      });
      expect(writes.filter((write) => write.orderId === undefined)).toEqual([]);
      expect(retried.length).toBeGreaterThan(0);
      const answered = writes.map((write) => write.orderId as string);
      expect(new Set(answered).size).toBe(writes.length);
      expect([...stored].sort()).toEqual([...answered, sentinel.id].sort());
      // The log: seq contiguous from 1, no duplicate; one order.placed per stored order.
      const seqs = log.map((entry) => Number(entry.seq));
      expect(seqs).toEqual(seqs.map((_, index) => index + 1));
      const placed = log.filter((entry) => entry.type === 'order.placed').map((e) => Number(e.seq));
      expect(placed).toHaveLength(orders.length);

      // Both subscribers lived through every fault and saw exactly the log's order events.
      for (const protocol of ['websocket', 'graphql'] as const) {
        await when(
          () => seen[protocol].some((event) => (event.data as { id?: string }).id === sentinel.id),
          `${protocol} saw the sentinel order`,
          30_000,
        );
        expect(seen[protocol].map((event) => event.seq)).toEqual(placed);
      }
    } finally {
      await admin.end();
    }
  });
});
