import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  type BookshopClient,
  BookshopError,
  type ClientSubscription,
  GraphqlClient,
  PROTOCOLS,
  ProtocolError,
  type Protocol,
  WebSocketClient,
} from '@bookshop/clients';
import type { Author, Book, BookshopEvent, Order } from '@bookshop/domain';
import { ReplyCutter, savedBook, serviceTarget } from '@bookshop/testing';
import { SCENARIOS } from './scenarios';
import {
  COLUMNS,
  type RunningBookshop,
  eventually,
  GATEWAY_REPLICAS,
  KEY,
  outcome,
  startBookshop,
  uniqueIsbn,
} from './support';

/** Every test's title is a protocol, or ALL for one that fires through all five at once (see matrix-reporter.js). */
const ALL = 'all five at once';

/** BOOKSHOP_SERVICES=gateway: two replicas of each service, every client through deploy/gateway. */
const BEHIND_GATEWAY = serviceTarget() === 'gateway';

/** A replica's /metrics, which the gateway does not pass on: read from the replica itself. */
async function scrape(url: string): Promise<string> {
  return (await fetch(new URL('/metrics', url))).text();
}

/** The sum of a metric's samples whose labels include `labels`; 0 when there are none. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const match of text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm'))) {
    const found = Object.fromEntries(
      [...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1], label[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value))
      sum += Number(match[2]);
  }
  return sum;
}

let shop: RunningBookshop;

beforeAll(async () => {
  shop = await startBookshop();
}, 300_000);

afterAll(async () => {
  await shop?.stop();
});

const writer = (protocol: Protocol): BookshopClient => shop.callers[protocol].writer;

/**
 * Runs a case; when it fails, its error shows what the database and the
 * services said meanwhile (a server process that ended, a connection error
 * behind an UNAVAILABLE), which the containers take with them when they stop.
 */
async function explained(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const said = shop.trouble();
    if (said.length === 0) throw error;
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n\n` +
        `what the database and the services said (${said.length}):\n${said.join('\n')}`,
      { cause: error },
    );
  }
}

describe.each(SCENARIOS)('$id', (scenario) => {
  it.each(COLUMNS)('%s', (column) =>
    explained(async () => {
      expect(await scenario.run(shop.callers[column])).toEqual(scenario.expected);
    }),
  );
});

describe('together.read-back', () => {
  it.each(PROTOCOLS)('%s', (protocol) =>
    explained(async () => {
      const client = writer(protocol);
      const author = await client.createAuthor({ name: `Written via ${protocol}`, bio: 'bio' });
      const created = await client.createBook({
        title: `Read back ${protocol}`,
        authorId: author.id,
        isbn: uniqueIsbn(),
        priceCents: 1234,
        stock: 4,
      });
      await client.updateBook({ id: created.id, title: `Read back ${protocol}, revised` });
      const order = await client.placeOrder({ lines: [{ bookId: created.id, quantity: 3 }] });
      const book = await client.adjustStock({ id: created.id, delta: 2 });

      for (const other of PROTOCOLS) {
        const reader = shop.callers[other].reader;
        expect({ from: other, author: await reader.getAuthor({ id: author.id }) }).toEqual({
          from: other,
          author,
        });
        expect({ from: other, book: await reader.getBook({ id: book.id }) }).toEqual({
          from: other,
          book,
        });
        expect({ from: other, order: await reader.getOrder({ id: order.id }) }).toEqual({
          from: other,
          order,
        });
        expect({ from: other, list: await reader.listBooks({ authorId: author.id }) }).toEqual({
          from: other,
          list: { items: [book], nextCursor: null },
        });
      }
    }),
  );
});

describe('together.events', () => {
  const TOPICS = ['authors', 'books', 'stock', 'orders'];
  /**
   * One WebSocket and one GraphQL subscriber; behind the gateway, one of each
   * per replica, so that whichever replica a write lands on, a subscriber on
   * another one must see it.
   */
  const subscribers: { name: string; client: WebSocketClient | GraphqlClient }[] = [];
  const seen = new Map<string, BookshopEvent[]>();
  const errors: unknown[] = [];
  const written = new Map<Protocol, { author: Author; book: Book; order: Order; spare: string }>();
  const subscriptions: ClientSubscription[] = [];
  let start: number;

  /** Writes until a sentinel author has reached every subscriber; everything before it has too. */
  const sentinel = async (): Promise<BookshopEvent> => {
    const author = await writer('rest').createAuthor({ name: 'Sentinel' });
    const arrived = (list: BookshopEvent[]) =>
      list.find((e) => e.type === 'author.created' && e.data.id === author.id);
    await eventually(
      () => [...seen.values()].every((list) => !!arrived(list)),
      () => [...seen].map(([name, list]) => `${name} saw ${list.length}`).join(', '),
    );
    return arrived(seen.get('websocket')!)!;
  };

  beforeAll(async () => {
    const copies = shop.gateway ? GATEWAY_REPLICAS : 1;
    for (let copy = 1; copy <= copies; copy++) {
      const suffix = copy === 1 ? '' : ` ${copy}`;
      subscribers.push(
        {
          name: `websocket${suffix}`,
          client: new WebSocketClient({ url: shop.services.websocket.url, apiKey: KEY }),
        },
        {
          name: `graphql${suffix}`,
          client: new GraphqlClient({ url: shop.services.graphql.url, apiKey: KEY }),
        },
      );
    }
    const onError = (error: unknown) => errors.push(error);
    for (const { name, client } of subscribers) {
      const list: BookshopEvent[] = [];
      seen.set(name, list);
      // The first subscriber fixes the start; the others start from the same seq:
      // the service replays what they missed.
      const subscription = await client.subscribe(TOPICS, (e) => list.push(e), {
        onError,
        ...(subscriptions.length > 0 ? { since: start } : {}),
      });
      if (subscriptions.length === 0) start = subscription.seq!;
      subscriptions.push(subscription);
    }

    // A mixed run: every protocol writes at the same time, each its own sequence.
    await Promise.all(
      PROTOCOLS.map(async (protocol) => {
        const client = writer(protocol);
        const author = await client.createAuthor({ name: `Events via ${protocol}` });
        const book = await client.createBook({
          title: `Events ${protocol}`,
          authorId: author.id,
          isbn: uniqueIsbn(),
          priceCents: 500,
          stock: 3,
        });
        await client.updateBook({ id: book.id, priceCents: 600 });
        await client.adjustStock({ id: book.id, delta: 2 });
        const order = await client.placeOrder({ lines: [{ bookId: book.id, quantity: 1 }] });
        await client.cancelOrder({ id: order.id });
        const spare = await client.createBook({
          title: `Spare ${protocol}`,
          authorId: author.id,
          isbn: uniqueIsbn(),
          priceCents: 1,
        });
        await client.deleteBook({ id: spare.id });
        written.set(protocol, { author, book, order, spare: spare.id });
      }),
    );
    await sentinel();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    await Promise.all(subscribers.map(({ client }) => client.close()));
  });

  it.each(PROTOCOLS)('%s', (protocol) => {
    const { author, book, order, spare } = written.get(protocol)!;
    const about = (e: BookshopEvent): string | undefined =>
      e.type === 'stock.changed'
        ? `${e.type} ${e.data.reason} ${e.data.delta}`
        : e.type === 'book.updated'
          ? `${e.type} v${e.data.version}`
          : e.type;
    const ids = [author.id, book.id, order.id, spare];
    const mine = (e: BookshopEvent) =>
      ids.includes(e.type === 'stock.changed' ? e.data.bookId : e.data.id);
    for (const [subscriber, events] of seen) {
      expect({
        subscriber,
        events: events.filter(mine).map(about),
      }).toEqual({
        subscriber,
        events: [
          'author.created',
          'book.created',
          'book.updated v2',
          'stock.changed adjustment 2',
          'stock.changed order -1',
          'order.placed',
          'stock.changed cancel 1',
          'order.cancelled',
          'book.created',
          'book.deleted',
        ],
      });
    }
  });

  it(`${ALL}: every subscriber sees every event once, in seq order, with no gap`, async () => {
    const last = await sentinel();
    expect(errors).toEqual([]);
    const expected = Array.from({ length: last.seq - start }, (_, i) => start + 1 + i);
    for (const [subscriber, events] of seen) {
      expect({ subscriber, seqs: events.map((e) => e.seq) }).toEqual({
        subscriber,
        seqs: expected,
      });
      expect({ subscriber, events }).toEqual({ subscriber, events: seen.get('websocket') });
    }
  });

  // Behind the gateway only: a single replica has no other to spread over.
  if (BEHIND_GATEWAY) {
    it(`${ALL}: behind the gateway, every replica of both pushes to a subscriber`, async () => {
      for (const protocol of ['websocket', 'graphql'] as const) {
        const held = await Promise.all(
          shop.services[protocol].replicas.map(async ({ url }) =>
            sample(await scrape(url), 'bookshop_subscriptions', { protocol }),
          ),
        );
        expect({ protocol, holding: held.map((count) => count >= 1) }).toEqual({
          protocol,
          holding: Array.from({ length: GATEWAY_REPLICAS }, () => true),
        });
      }
    });
  }
});

describe('together.last-copies', () => {
  /**
   * Who places the orders: each protocol's writer; behind the gateway, one
   * new writer per replica, opened one after another, so that WebSocket's
   * connections (which the gateway balances per connection, not per request)
   * reach both replicas too.
   */
  const placers = new Map<Protocol, BookshopClient[]>();
  const placed = (replicas: string[][]) =>
    Promise.all(
      replicas.map((urls) =>
        Promise.all(
          urls.map(async (url) =>
            sample(await scrape(url), 'bookshop_operations_total', { operation: 'orders.place' }),
          ),
        ),
      ),
    );
  const replicaUrls = () =>
    PROTOCOLS.map((protocol) => shop.services[protocol].replicas.map(({ url }) => url));
  let before: number[][];

  beforeAll(async () => {
    for (const protocol of PROTOCOLS) {
      if (!BEHIND_GATEWAY) {
        placers.set(protocol, [writer(protocol)]);
        continue;
      }
      const own: BookshopClient[] = [];
      for (let copy = 0; copy < GATEWAY_REPLICAS; copy++) {
        const client = await shop.connectWriter(protocol);
        await client.listAuthors({ limit: 1 }); // opens its connection now, in turn
        own.push(client);
      }
      placers.set(protocol, own);
    }
    before = await placed(replicaUrls());
  });

  it.each([
    { stock: 5, quantity: 1, perProtocol: 3 },
    { stock: 3, quantity: 2, perProtocol: 2 },
  ])(`${ALL}: $stock in stock, orders of $quantity, $perProtocol per protocol`, async (round) => {
    const rest = writer('rest');
    const author = await rest.createAuthor({ name: 'Last copies' });
    const book = await rest.createBook({
      title: 'Last copies',
      authorId: author.id,
      isbn: uniqueIsbn(),
      priceCents: 100,
      stock: round.stock,
    });
    const attempts = PROTOCOLS.flatMap((protocol) =>
      Array.from({ length: round.perProtocol }, (_, index) => {
        const clients = placers.get(protocol)!;
        return {
          protocol,
          placed: clients[index % clients.length]!.placeOrder({
            lines: [{ bookId: book.id, quantity: round.quantity }],
          }),
        };
      }),
    );
    const outcomes = await Promise.all(
      attempts.map(async ({ protocol, placed }) => ({
        protocol,
        outcome: await outcome(placed, { [book.id]: 'book' }),
      })),
    );
    const sold = Math.floor(round.stock / round.quantity);
    const left = round.stock - sold * round.quantity;
    expect(outcomes.filter((o) => o.outcome === 'ok')).toHaveLength(sold);
    for (const failed of outcomes.filter((o) => o.outcome !== 'ok')) {
      expect(failed).toEqual({
        protocol: failed.protocol,
        outcome: {
          code: 'OUT_OF_STOCK',
          shortages: [{ bookId: 'book', requested: round.quantity, available: left }],
        },
      });
    }
    for (const protocol of PROTOCOLS) {
      expect({ protocol, stock: (await writer(protocol).getBook({ id: book.id })).stock }).toEqual({
        protocol,
        stock: left,
      });
    }
  });

  if (BEHIND_GATEWAY) {
    it(`${ALL}: behind the gateway, the orders reached all ten replicas`, async () => {
      const after = await placed(replicaUrls());
      const reached = after.map((counts, p) => counts.map((count, r) => count > before[p]![r]!));
      expect(Object.fromEntries(PROTOCOLS.map((protocol, p) => [protocol, reached[p]]))).toEqual(
        Object.fromEntries(
          PROTOCOLS.map((protocol) => [
            protocol,
            Array.from({ length: GATEWAY_REPLICAS }, () => true),
          ]),
        ),
      );
    });
  }
});

// Last in the file: it compares what every test before it did with what the services counted.
describe('telemetry.metrics', () => {
  it('counts every call in /metrics by operation, protocol and outcome, as the clients saw them', async () => {
    const counted = new Map<string, number>();
    // Behind the gateway each replica counts what it served: the sums must match.
    for (const { url } of PROTOCOLS.flatMap((protocol) => shop.services[protocol].replicas)) {
      const text = await scrape(url);
      for (const match of text.matchAll(
        /^bookshop_operations_total\{operation="([^"]+)",protocol="([^"]+)",outcome="([^"]+)"[^}]*\} (\d+)$/gm,
      )) {
        const key = `${match[2]} ${match[1]} ${match[3]}`;
        counted.set(key, (counted.get(key) ?? 0) + Number(match[4]));
      }
    }
    const sorted = (map: Map<string, number>) => Object.fromEntries([...map].sort());
    expect(sorted(counted)).toEqual(sorted(shop.calls));
  });
});

// After the metrics: a call whose reply is lost is counted by the service, never by its client.
describe('retries.lost-reply', () => {
  // CONTRACT.md, "Safe retries": a client that lost the reply to a write cannot
  // know whether it committed; sent again with its key, it gets the result
  // the write recorded and changes nothing. The reply is lost in a proxy
  // between client and service (or gateway) after the service wrote it.
  it.each(PROTOCOLS)('%s', async (protocol) => {
    const cutter = await ReplyCutter.inFrontOf(shop.services[protocol].url);
    try {
      const direct = writer(protocol);
      const book = await savedBook(direct, { stock: 5 });
      const through = await shop.connectWriter(protocol, cutter.url);
      // Connected before the cut: the WebSocket handshake done, the WSDL read.
      await through.getBook({ id: book.id });
      const cut = cutter.cutNextReply();
      const lines = [{ bookId: book.id, quantity: 2 }];
      const key = { idempotencyKey: randomUUID() };
      const lost = await through.placeOrder({ lines }, key).then(
        () => 'answered',
        (error: unknown) => (error instanceof BookshopError ? error.code : 'no reply'),
      );
      await cut;
      const committed = (await direct.getBook({ id: book.id })).stock;
      const retried = await through.placeOrder({ lines }, key);
      expect({
        lost,
        committed,
        retried: { status: retried.status, lines: retried.lines },
        stored: await direct.getOrder({ id: retried.id }),
        stock: (await direct.getBook({ id: book.id })).stock,
      }).toEqual({
        lost: 'no reply',
        committed: 3,
        retried: { status: 'PLACED', lines: [{ ...lines[0], unitPriceCents: book.priceCents }] },
        stored: retried,
        stock: 3,
      });
    } finally {
      await cutter.close();
    }
  });
});

if (BEHIND_GATEWAY) {
  describe('gateway.limits', () => {
    // CONTRACT.md: a body or frame over 1 MiB fails with PAYLOAD_TOO_LARGE in the
    // protocol's own shape. Through the gateway as well: it passes bodies up to
    // 2 MiB on to the service, and refuses larger ones itself with the same code.
    it.each(PROTOCOLS)('%s', async (protocol) => {
      expect(
        await outcome(writer(protocol).createAuthor({ name: 'x'.repeat(1024 * 1024 + 1) })),
      ).toEqual({ code: 'PAYLOAD_TOO_LARGE' });
    });

    it(`${ALL}: the gateway refuses a body over 2 MiB itself, unread, with the same code`, async () => {
      for (const path of ['/api/authors', '/soap', '/graphql', '/rpc']) {
        const response = await fetch(new URL(path, shop.gateway), {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': 'too-large-1' },
          body: 'x'.repeat(2 * 1024 * 1024 + 1),
        });
        expect({
          path,
          status: response.status,
          type: response.headers.get('content-type'),
          body: await response.json(),
        }).toEqual({
          path,
          status: 413,
          type: 'application/problem+json',
          body: expect.objectContaining({
            status: 413,
            code: 'PAYLOAD_TOO_LARGE',
            requestId: 'too-large-1',
          }),
        });
      }
    });
  });
}

// After the metrics, whose counts its failed calls would change; before a replica is lost.
if (BEHIND_GATEWAY) {
  /** A book by an author of its own, written through REST, for one gateway case. */
  const bookOfItsOwn = async (title: string, stock: number) =>
    writer('rest').createBook({
      title,
      authorId: (await writer('rest').createAuthor({ name: title })).id,
      isbn: uniqueIsbn(),
      priceCents: 100,
      stock,
    });

  describe('gateway.database-restart', () => {
    it(`${ALL}: every replica answers UNAVAILABLE while the database is down, and all answer again once it is back`, async () => {
      const book = await bookOfItsOwn('Through a restart', 10);
      // Two reads per protocol at once, each on a connection of its own: the gateway
      // sends them to both replicas.
      const round = () =>
        Promise.all(
          PROTOCOLS.flatMap((protocol) =>
            [1, 2].map(async () => {
              const client = await shop.connectWriter(protocol);
              try {
                return { protocol, outcome: await outcome(client.getBook({ id: book.id })) };
              } finally {
                await client.close();
              }
            }),
          ),
        );
      const every = (expected: unknown) =>
        PROTOCOLS.flatMap((protocol) => [1, 2].map(() => ({ protocol, outcome: expected })));
      const database = shop.database!;
      try {
        await database.stopServer();
        // The contract's UNAVAILABLE, in each protocol's shape, from whichever replica: a
        // gateway that took a replica's 503 for the replica failing would mark both
        // out of rotation and answer with its own 502 ("no live upstreams").
        expect(await round()).toEqual(every({ code: 'UNAVAILABLE' }));
      } finally {
        await database.startServer();
      }
      // Every replica finds the database again by itself…
      const replicas = PROTOCOLS.flatMap((protocol) => shop.services[protocol].replicas);
      const ready = new Set<string>();
      await eventually(
        () => ready.size === replicas.length,
        () =>
          `replicas not ready again: ${replicas
            .filter((r) => !ready.has(r.url))
            .map((r) => r.url)
            .join(', ')}`,
        60_000,
        () =>
          Promise.all(
            replicas.map(({ url }) =>
              fetch(new URL('/health/ready', url)).then(
                (response) => void (response.ok && ready.add(url)),
                () => undefined,
              ),
            ),
          ).then(() => undefined),
      );
      // …and the gateway sends to it at once: none was taken out of rotation.
      expect(await round()).toEqual(every('ok'));
    }, 90_000);
  });

  // Last: one replica of each service stops while calls go on.
  describe('gateway.replica-lost', () => {
    it(`${ALL}: a replica that stops mid-run is routed around`, async () => {
      try {
        await replicaLost();
      } catch (error) {
        // What nginx tried, and what each upstream answered, is the only record of a failure here.
        const said = shop.gatewayTrouble();
        throw new Error(
          `${error instanceof Error ? error.message : String(error)}\n\n` +
            `the gateway's errors and 5xx lines (${said.length}):\n${said.join('\n')}`,
          { cause: error },
        );
      }
    }, 60_000);

    const replicaLost = async () => {
      const book = await bookOfItsOwn('Routed around', 1000);
      // Each round: on every protocol, a read and a write, each on a new connection
      // (a WebSocket stays on the replica it was opened to; new ones are balanced).
      // A WebSocket that closes with 1001 ran none of its unanswered requests
      // (AsyncAPI document): the client sends them again on a new connection,
      // as any client of a draining server does; HTTP calls are never retried.
      const call = async (
        protocol: Protocol,
        run: (client: BookshopClient) => Promise<unknown>,
      ) => {
        for (let attempt = 1; ; attempt++) {
          const client = await shop.connectWriter(protocol);
          try {
            return await outcome(run(client));
          } catch (error) {
            const goingAway = error instanceof ProtocolError && /\(1001 /.test(error.message);
            if (protocol !== 'websocket' || !goingAway || attempt === 3) throw error;
          } finally {
            await client.close();
          }
        }
      };
      const round = () =>
        Promise.all(
          PROTOCOLS.map((protocol) =>
            Promise.all([
              call(protocol, (client) => client.getBook({ id: book.id })),
              call(protocol, (client) => client.adjustStock({ id: book.id, delta: -1 })),
            ]),
          ),
        );
      const all = (outcomes: Awaited<ReturnType<typeof round>>[]) =>
        outcomes.flatMap((perProtocol) =>
          perProtocol.flatMap((pair, p) => pair.map((o) => ({ protocol: PROTOCOLS[p], o }))),
        );

      const before = [await round(), await round()];
      const refused = new Set<string>();
      // The first replica of each service gets SIGTERM (as an orchestrator stops
      // it), and calls go on while it drains (SHUTDOWN_DRAIN_MS: it refuses new
      // connections and answers on the gateway's open ones) and exits. They
      // resume once it refuses: a connection that reaches a listening socket in
      // the instant it closes is reset by the kernel, which no proxy can tell
      // from a lost request (docs/adr/0011-gateway-and-drain.md).
      const first = PROTOCOLS.map((protocol) => shop.services[protocol].replicas[0]!);
      const stopping = Promise.all(first.map((replica) => replica.stop()));
      await Promise.all(
        first.map(({ url }) =>
          eventually(
            () => refused.has(url),
            () => `${url} still accepts connections`,
            10_000,
            () =>
              fetch(new URL('/health/live', url)).then(
                () => undefined,
                () => void refused.add(url),
              ),
          ),
        ),
      );
      const during: Awaited<ReturnType<typeof round>>[] = [];
      let stopped = false;
      // Whether the drain succeeded or not, the rounds end with it.
      void stopping.finally(() => (stopped = true)).catch(() => undefined);
      while (!stopped) during.push(await round());
      await stopping;
      const after: Awaited<ReturnType<typeof round>>[] = [];
      for (let i = 0; i < 6; i++) after.push(await round());

      const ok = (list: typeof before) => all(list).filter(({ o }) => o !== 'ok');
      expect(ok(before)).toEqual([]);
      expect(ok(during)).toEqual([]);
      expect(ok(after)).toEqual([]);
      const adjusted = before.length + during.length + after.length;
      for (const protocol of PROTOCOLS) {
        const client = await shop.connectWriter(protocol);
        expect({ protocol, stock: (await client.getBook({ id: book.id })).stock }).toEqual({
          protocol,
          stock: 1000 - adjusted * PROTOCOLS.length,
        });
      }
    };
  });
}

describe('docs/conformance.md', () => {
  it('documents every scenario of the table, and no other', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/conformance.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `([a-z.-]+)` +\|/gm)].map((m) => m[1]);
    const together = ['together.read-back', 'together.events', 'together.last-copies'];
    expect(documented).toEqual([...SCENARIOS.map((s) => s.id), ...together, 'retries.lost-reply']);
  });
});
