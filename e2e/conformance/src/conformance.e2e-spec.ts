import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BookshopClient,
  type ClientSubscription,
  GraphqlClient,
  PROTOCOLS,
  type Protocol,
  WebSocketClient,
} from '@bookshop/clients';
import type { Author, Book, BookshopEvent, Order } from '@bookshop/domain';
import { SCENARIOS } from './scenarios';
import {
  type RunningBookshop,
  eventually,
  KEY,
  outcome,
  startBookshop,
  uniqueIsbn,
} from './support';

/** Every test's title is a protocol, or ALL for one that fires through all five at once (see matrix-reporter.js). */
const ALL = 'all five at once';

let shop: RunningBookshop;

beforeAll(async () => {
  shop = await startBookshop();
}, 120_000);

afterAll(async () => {
  await shop?.stop();
});

const writer = (protocol: Protocol): BookshopClient => shop.callers[protocol].writer;

describe.each(SCENARIOS)('$id', (scenario) => {
  it.each(PROTOCOLS)('%s', async (protocol) => {
    expect(await scenario.run(shop.callers[protocol])).toEqual(scenario.expected);
  });
});

describe('together.read-back', () => {
  it.each(PROTOCOLS)('%s', async (protocol) => {
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
  });
});

describe('together.events', () => {
  const TOPICS = ['authors', 'books', 'stock', 'orders'];
  const seen: Record<'websocket' | 'graphql', BookshopEvent[]> = { websocket: [], graphql: [] };
  const errors: unknown[] = [];
  const written = new Map<Protocol, { author: Author; book: Book; order: Order; spare: string }>();
  const subscriptions: ClientSubscription[] = [];
  let subscribers: [WebSocketClient, GraphqlClient];
  let start: number;

  /** Writes until a sentinel author has reached both subscribers; everything before it has too. */
  const sentinel = async (): Promise<BookshopEvent> => {
    const author = await writer('rest').createAuthor({ name: 'Sentinel' });
    const arrived = (list: BookshopEvent[]) =>
      list.find((e) => e.type === 'author.created' && e.data.id === author.id);
    await eventually(
      () => !!arrived(seen.websocket) && !!arrived(seen.graphql),
      () => `websocket saw ${seen.websocket.length}, graphql ${seen.graphql.length}`,
    );
    return arrived(seen.websocket)!;
  };

  beforeAll(async () => {
    subscribers = [
      new WebSocketClient({ url: shop.services.websocket.url, apiKey: KEY }),
      new GraphqlClient({ url: shop.services.graphql.url, apiKey: KEY }),
    ];
    const [ws, gql] = subscribers;
    const onError = (error: unknown) => errors.push(error);
    const first = await ws.subscribe(TOPICS, (e) => seen.websocket.push(e), { onError });
    start = first.seq!;
    subscriptions.push(first);
    // The GraphQL subscriber starts from the same seq: the service replays what it missed.
    subscriptions.push(
      await gql.subscribe(TOPICS, (e) => seen.graphql.push(e), { since: start, onError }),
    );

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
    await Promise.all(subscribers.map((client) => client.close()));
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
    for (const subscriber of ['websocket', 'graphql'] as const) {
      expect({
        subscriber,
        events: seen[subscriber].filter(mine).map(about),
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

  it(`${ALL}: both subscribers see every event once, in seq order, with no gap`, async () => {
    const last = await sentinel();
    expect(errors).toEqual([]);
    const seqs = (list: BookshopEvent[]) => list.map((e) => e.seq);
    const expected = Array.from({ length: last.seq - start }, (_, i) => start + 1 + i);
    expect(seqs(seen.websocket)).toEqual(expected);
    expect(seqs(seen.graphql)).toEqual(expected);
    expect(seen.graphql).toEqual(seen.websocket);
  });
});

describe('together.last-copies', () => {
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
      Array.from({ length: round.perProtocol }, () => ({
        protocol,
        placed: writer(protocol).placeOrder({
          lines: [{ bookId: book.id, quantity: round.quantity }],
        }),
      })),
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
});

// Last in the file: it compares what every test before it did with what the services counted.
describe('telemetry.metrics', () => {
  it('counts every call in /metrics by operation, protocol and outcome, as the clients saw them', async () => {
    const counted = new Map<string, number>();
    for (const protocol of PROTOCOLS) {
      const text = await (await fetch(new URL('/metrics', shop.services[protocol].url))).text();
      for (const match of text.matchAll(
        /^bookshop_operations_total\{operation="([^"]+)",protocol="([^"]+)",outcome="([^"]+)"[^}]*\} (\d+)$/gm,
      ))
        counted.set(`${match[2]} ${match[1]} ${match[3]}`, Number(match[4]));
    }
    const sorted = (map: Map<string, number>) => Object.fromEntries([...map].sort());
    expect(sorted(counted)).toEqual(sorted(shop.calls));
  });
});

describe('docs/conformance.md', () => {
  it('documents every scenario of the table, and no other', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/conformance.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `([a-z.-]+)` +\|/gm)].map((m) => m[1]);
    const together = ['together.read-back', 'together.events', 'together.last-copies'];
    expect(documented).toEqual([...SCENARIOS.map((s) => s.id), ...together]);
  });
});
