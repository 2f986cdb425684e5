import { refuseOversizedBody, type RunningService } from '@bookshop/testing';
import { KEY, startGraphql, take, uniqueIsbn } from './support';

const MISSING = '00000000-0000-4000-8000-999999999999';
const BOOK_FIELDS = 'id title authorId isbn priceCents stock version createdAt updatedAt';

describe('the GraphQL service', () => {
  let service: RunningService;
  let api: Awaited<ReturnType<typeof startGraphql>>;

  beforeAll(async () => {
    // Debug logs carry one line per SQL query: the batching test counts them.
    api = await startGraphql({ LOG_LEVEL: 'debug' });
    service = api.service;
  });

  afterAll(async () => {
    await service.stop();
  });

  const data = async (query: string, variables?: Record<string, unknown>, key?: string) => {
    const result = await api.gql(query, variables, key);
    if (result.body.errors) throw new Error(JSON.stringify(result.body.errors));
    return result.body.data;
  };
  const errorOf = async (query: string, variables?: Record<string, unknown>, key?: string) => {
    const result = await api.gql(query, variables, key);
    expect(result.body.errors).toHaveLength(1);
    return result.body.errors![0]!;
  };
  const newAuthor = async (name = 'Author') =>
    (
      await data(
        'mutation($i: CreateAuthorInput!) { createAuthor(input: $i) { id name bio createdAt } }',
        { i: { name } },
        KEY,
      )
    ).createAuthor;
  const newBook = async (overrides: Record<string, unknown> = {}) => {
    const authorId = overrides['authorId'] ?? (await newAuthor()).id;
    const input = {
      title: 'A Book',
      authorId,
      isbn: uniqueIsbn(),
      priceCents: 1000,
      stock: 5,
      ...overrides,
    };
    return (
      await data(
        `mutation($i: CreateBookInput!) { createBook(input: $i) { ${BOOK_FIELDS} } }`,
        { i: input },
        KEY,
      )
    ).createBook;
  };

  describe('queries and mutations', () => {
    it('createAuthor, author and authors', async () => {
      const author = await newAuthor(' Ann ');
      expect(author).toMatchObject({ name: 'Ann', bio: null });
      expect(
        (await data('query($id: ID!) { author(id: $id) { id name } }', { id: author.id })).author,
      ).toEqual({ id: author.id, name: 'Ann' });
      const page = (
        await data(
          '{ authors(first: 100) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }',
        )
      ).authors;
      expect(page.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(author.id);
      expect(page.pageInfo.hasNextPage).toBe(false);
    });

    it('pages a connection with first and after', async () => {
      const author = await newAuthor();
      for (let i = 0; i < 3; i++) await newBook({ authorId: author.id, title: `Paged ${i}` });
      const query =
        'query($a: ID!, $after: String) { books(filter: {authorId: $a}, first: 2, after: $after) { edges { node { title } } pageInfo { hasNextPage endCursor } } }';
      const first = (await data(query, { a: author.id })).books;
      expect(first.edges.map((e: any) => e.node.title)).toEqual(['Paged 0', 'Paged 1']);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const second = (await data(query, { a: author.id, after: first.pageInfo.endCursor })).books;
      expect(second.edges.map((e: any) => e.node.title)).toEqual(['Paged 2']);
      expect(second.pageInfo.hasNextPage).toBe(false);
    });

    it('createBook, book with its author, books filtered by text, updateBook, adjustStock, deleteBook', async () => {
      const book = await newBook({ title: 'Heart of Darkness', stock: 2 });
      const read = (
        await data(`query($id: ID!) { book(id: $id) { ${BOOK_FIELDS} author { id } } }`, {
          id: book.id,
        })
      ).book;
      expect(read).toEqual({ ...book, author: { id: book.authorId } });
      const found = (await data('{ books(filter: {q: "heart of"}) { edges { node { id } } } }'))
        .books.edges;
      expect(found).toEqual([{ node: { id: book.id } }]);
      const updated = (
        await data(
          'mutation($id: ID!) { updateBook(id: $id, input: {priceCents: 1, expectedVersion: 1}) { priceCents version } }',
          { id: book.id },
          KEY,
        )
      ).updateBook;
      expect(updated).toEqual({ priceCents: 1, version: 2 });
      expect(
        (
          await data(
            'mutation($id: ID!) { adjustStock(id: $id, delta: 3) { stock } }',
            { id: book.id },
            KEY,
          )
        ).adjustStock,
      ).toEqual({ stock: 5 });
      expect(
        (await data('mutation($id: ID!) { deleteBook(id: $id) }', { id: book.id }, KEY)).deleteBook,
      ).toBe(book.id);
    });

    it('placeOrder with lines and their books, order, cancelOrder', async () => {
      const book = await newBook({ stock: 3, priceCents: 250 });
      const placed = (
        await data(
          'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id status totalCents lines { bookId quantity unitPriceCents book { title stock } } } }',
          { i: { lines: [{ bookId: book.id, quantity: 2 }] } },
          KEY,
        )
      ).placeOrder;
      expect(placed).toMatchObject({
        status: 'PLACED',
        totalCents: 500,
        lines: [
          {
            bookId: book.id,
            quantity: 2,
            unitPriceCents: 250,
            book: { title: 'A Book', stock: 1 },
          },
        ],
      });
      expect(
        (await data('query($id: ID!) { order(id: $id) { id } }', { id: placed.id })).order,
      ).toEqual({ id: placed.id });
      const cancelled = (
        await data('mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: placed.id }, KEY)
      ).cancelOrder;
      expect(cancelled).toEqual({ status: 'CANCELLED' });
    });

    it('answers null for a missing id in a query', async () => {
      expect(
        await data(
          'query($id: ID!) { author(id: $id) { id } book(id: $id) { id } order(id: $id) { id } }',
          { id: MISSING },
        ),
      ).toEqual({
        author: null,
        book: null,
        order: null,
      });
    });
  });

  describe('errors', () => {
    it('NOT_FOUND from a mutation on a missing id', async () => {
      for (const mutation of [
        'deleteBook(id: $id)',
        'cancelOrder(id: $id) { id }',
        'adjustStock(id: $id, delta: 1) { id }',
        'updateBook(id: $id, input: {title: "x"}) { id }',
      ]) {
        expect(
          (await errorOf(`mutation($id: ID!) { ${mutation} }`, { id: MISSING }, KEY)).extensions
            ?.code,
        ).toBe('NOT_FOUND');
      }
    });

    it('BAD_USER_INPUT with extensions.details for the domain’s validation', async () => {
      const error = await errorOf(
        'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }',
        { i: { lines: [{ bookId: MISSING, quantity: 101 }] } },
        KEY,
      );
      expect(error.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        details: [{ path: 'lines[0].quantity', message: 'quantity must be at most 100' }],
      });
    });

    it('CONFLICT for a stale version and a cancelled order; OUT_OF_STOCK with every short line', async () => {
      const book = await newBook({ stock: 1 });
      expect(
        (
          await errorOf(
            'mutation($id: ID!) { updateBook(id: $id, input: {title: "x", expectedVersion: 5}) { id } }',
            { id: book.id },
            KEY,
          )
        ).extensions?.code,
      ).toBe('CONFLICT');
      const error = await errorOf(
        'mutation($id: ID!) { placeOrder(input: {lines: [{bookId: $id, quantity: 2}]}) { id } }',
        { id: book.id },
        KEY,
      );
      expect(error.extensions).toEqual({
        code: 'OUT_OF_STOCK',
        details: [{ bookId: book.id, requested: 2, available: 1 }],
      });
    });

    it('UNAUTHENTICATED for a mutation without a valid key', async () => {
      expect(
        (await errorOf('mutation { createAuthor(input: {name: "x"}) { id } }')).extensions?.code,
      ).toBe('UNAUTHENTICATED');
      expect(
        (await errorOf('mutation { createAuthor(input: {name: "x"}) { id } }', undefined, 'wrong'))
          .extensions?.code,
      ).toBe('UNAUTHENTICATED');
    });

    it('refuses a query deeper than 10 with a clear error', async () => {
      // Ten levels, the leaf included: book, author, books, edges, node, author, books, edges, node, title.
      const atLimit = `{ book(id: "${MISSING}") { author { books { edges { node { author { books { edges { node { title } } } } } } } } } }`;
      expect((await api.gql(atLimit)).status).toBe(200);
      const result = await api.gql(atLimit.replace('title', 'author { name }'));
      expect(result.status).toBe(400);
      expect(result.body.errors).toEqual([
        {
          message: 'Syntax Error: Query depth limit of 10 exceeded, found 11.',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ]);
    });

    it('refuses a query over the cost limit', async () => {
      const wide = `{ ${Array.from({ length: 400 }, (_, i) => `a${i}: authors { edges { node { id name bio createdAt } } }`).join(' ')} }`;
      const result = await api.gql(wide);
      expect(result.status).toBe(400);
      expect(result.body.errors![0]!.message).toMatch(/Query Cost limit of 5000 exceeded/);
    });
  });

  describe('Idempotency-Key', () => {
    const ADJUST =
      'mutation($id: ID!, $d: Int!) { adjustStock(id: $id, delta: $d) { stock version } }';
    const keyed = (key: string, query: string, variables?: Record<string, unknown>) =>
      api.gql(query, variables, KEY, { 'idempotency-key': key });
    const stockOf = async (id: string) =>
      (await data('query($id: ID!) { book(id: $id) { stock } }', { id })).book.stock;

    it('replays a mutation: the same data, the stock changed once', async () => {
      const book = await newBook({ stock: 5 });
      const first = await keyed('gql-adjust-1', ADJUST, { id: book.id, d: 2 });
      const repeat = await keyed('gql-adjust-1', ADJUST, { id: book.id, d: 2 });
      expect(first.body).toEqual({ data: { adjustStock: { stock: 7, version: 2 } } });
      expect(repeat).toEqual(first);
      expect(await stockOf(book.id)).toBe(7);
    });

    it('answers CONFLICT for the key with other variables, and changes nothing', async () => {
      const book = await newBook({ stock: 5 });
      await keyed('gql-adjust-2', ADJUST, { id: book.id, d: 1 });
      const reused = await keyed('gql-adjust-2', ADJUST, { id: book.id, d: 3 });
      expect(reused.body.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        details: [{ path: 'idempotencyKey', message: expect.any(String) }],
      });
      expect(await stockOf(book.id)).toBe(6);
    });

    it('refuses a keyed request holding two mutation fields, fragments counted, before any runs', async () => {
      const book = await newBook({ stock: 5 });
      const two = `mutation($id: ID!) { a: adjustStock(id: $id, delta: 1) { stock } b: adjustStock(id: $id, delta: 1) { stock } }`;
      const spread = `mutation($id: ID!) { adjustStock(id: $id, delta: 1) { stock } ...More }
        fragment More on Mutation { again: adjustStock(id: $id, delta: 1) { stock } }`;
      for (const query of [two, spread]) {
        const refused = await keyed('gql-two', query, { id: book.id });
        expect(refused.status).toBe(400);
        expect(refused.body.data).toBeUndefined();
        expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
      }
      // Without a key the same request runs both fields, as before.
      expect((await api.gql(two, { id: book.id }, KEY)).body.data).toEqual({
        a: { stock: 6 },
        b: { stock: 7 },
      });
    });

    it('lets a query ignore the key', async () => {
      const book = await newBook();
      const read = await keyed('gql-read', 'query($id: ID!) { book(id: $id) { id } }', {
        id: book.id,
      });
      expect(read.body).toEqual({ data: { book: { id: book.id } } });
    });
  });

  describe('batching', () => {
    it('reads 20 books with their 20 authors in a bounded number of queries, not 21', async () => {
      const author = await newAuthor('Batch marker');
      const authors = [author];
      for (let i = 1; i < 20; i++) authors.push(await newAuthor(`Batch ${i}`));
      for (const a of authors) await newBook({ authorId: a.id, title: `Batched by ${a.name}` });
      // Only this request's statements count: they carry its id, and its completion line comes after them.
      const requestId = `batching-${Date.now()}`;
      const response = await fetch(`${service.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': requestId },
        body: JSON.stringify({
          query:
            '{ books(filter: {q: "Batched by"}, first: 20) { edges { node { title author { name } } } } }',
        }),
      });
      const result = ((await response.json()) as { data: { books: any } }).data.books;
      const ofRequest = (entry: Record<string, unknown>) =>
        (entry['req'] as { id?: unknown } | undefined)?.id === requestId;
      for (let waited = 0; !service.logs.some((e) => ofRequest(e) && 'res' in e); waited += 20) {
        if (waited > 5000) throw new Error('the request was not logged as completed');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const queries = service.logs.filter((e) => ofRequest(e) && e['event'] === 'sql').length;
      expect(result.edges).toHaveLength(20);
      expect(new Set(result.edges.map((e: any) => e.node.author.name)).size).toBe(20);
      expect(queries).toBeGreaterThan(0);
      expect(queries).toBeLessThanOrEqual(2);
    });
  });

  describe('GraphQL over HTTP', () => {
    it('passes every MUST of graphql-http’s server audits', async () => {
      const { serverAudits } = await import('graphql-http');
      const audits = serverAudits({ url: `${service.url}/graphql`, fetchFn: fetch });
      const musts = audits.filter((audit) => audit.name.startsWith('MUST'));
      expect(musts.length).toBeGreaterThan(10);
      const failures: string[] = [];
      for (const audit of musts) {
        const result = await audit.fn();
        if (result.status !== 'ok') failures.push(`${audit.id} ${audit.name}: ${result.reason}`);
      }
      expect(failures).toEqual([]);
    });

    it('GQLHTTP-§GET answers queries over GET and refuses mutations over GET with 405', async () => {
      const get = await fetch(
        `${service.url}/graphql?query=${encodeURIComponent('{ authors(first: 1) { edges { cursor } } }')}`,
      );
      expect(get.status).toBe(200);
      const mutation = await fetch(
        `${service.url}/graphql?query=${encodeURIComponent('mutation { deleteBook(id: "x") }')}`,
        {
          headers: { authorization: `Bearer ${KEY}` },
        },
      );
      expect(mutation.status).toBe(405);
    });

    it('refuses a body over 1 MiB with 413 and PAYLOAD_TOO_LARGE', async () => {
      const response = await fetch(`${service.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(1024 * 1024)}` }),
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: 'The request body is over the 1 MiB limit',
            extensions: { code: 'PAYLOAD_TOO_LARGE' },
          },
        ],
      });
    });

    it('answers a body over 1 MiB up front, then reads the rest and keeps the connection', async () => {
      // A proxy that buffered the body goes on sending it after the answer came.
      const refusal = await refuseOversizedBody(service.url, {
        path: '/graphql',
        headers: { 'content-type': 'application/json' },
      });
      expect(refusal.head).toMatch(/^HTTP\/1\.1 413 /);
      expect(refusal.head.toLowerCase()).not.toContain('connection: close');
      expect(JSON.parse(refusal.body)).toMatchObject({
        errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
      });
      expect(refusal.nextStatus).toBe(200);
    });

    it('serves introspection and the IDE outside production', async () => {
      expect((await data('{ __schema { queryType { name } } }')).__schema.queryType.name).toBe(
        'Query',
      );
      const ide = await fetch(`${service.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(ide.status).toBe(200);
      expect(await ide.text()).toMatch(/graphiql/i);
    });
  });
});

describe('the GraphQL service in production', () => {
  it('turns introspection and the IDE off', async () => {
    const api = await startGraphql({ NODE_ENV: 'production' });
    try {
      const result = await api.gql('{ __schema { queryType { name } } }');
      expect(result.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const ide = await fetch(`${api.service.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(await ide.text()).not.toMatch(/graphiql/i);
    } finally {
      await api.service.stop();
    }
  });
});

describe('subscriptions over graphql-ws', () => {
  let first: Awaited<ReturnType<typeof startGraphql>>;
  let second: Awaited<ReturnType<typeof startGraphql>>;

  beforeAll(async () => {
    first = await startGraphql();
    // A second service process on the same database: writes there must reach subscribers here.
    second = await startGraphql({}, first.databaseUrl);
  });

  afterAll(async () => {
    await Promise.all([first.service.stop(), second.service.stop()]);
  });

  const createAuthor = (api: typeof first, name: string) =>
    api.gql('mutation($n: String!) { createAuthor(input: {name: $n}) { id } }', { n: name }, KEY);

  it('delivers live events, and a write made by another process reaches the subscriber', async () => {
    const client = first.ws();
    const events = client.iterate<{
      events: { seq: number; type: string; data: { name: string } };
    }>({
      query: 'subscription { events(topics: ["authors"]) { seq type occurredAt data } }',
    });
    const received = take(events, 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await createAuthor(first, 'Live here');
    await createAuthor(second, 'Live there');
    const [a, b] = await received;
    expect([a!.data!.events.data.name, b!.data!.events.data.name]).toEqual([
      'Live here',
      'Live there',
    ]);
    expect(b!.data!.events.seq).toBe(a!.data!.events.seq + 1);
    await client.dispose();
  });

  it('replays what was missed from since, in seq order, then goes live', async () => {
    const before = await createAuthor(first, 'Replay 0');
    expect(before.body.errors).toBeUndefined();
    await createAuthor(second, 'Replay 1');
    await createAuthor(first, 'Replay 2');
    const client = first.ws();
    const events = client.iterate<{ events: { seq: number; data: { name: string } } }>({
      query: 'subscription { events(topics: ["authors"], since: 0) { seq data } }',
    });
    const all: { seq: number; data: { name: string } }[] = [];
    for await (const result of events) {
      all.push(result.data!.events);
      if (all.some((e) => e.data.name === 'Replay 2')) break;
    }
    const seqs = all.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(all.map((e) => e.data.name).slice(-3)).toEqual(['Replay 0', 'Replay 1', 'Replay 2']);
    await client.dispose();
  });

  it('takes the API key from the connection parameters for mutations over the socket', async () => {
    const mutation = {
      query: 'mutation { createAuthor(input: {name: "Over the socket"}) { name } }',
    };
    const withKey = first.ws(`Bearer ${KEY}`);
    const [ok] = await take(withKey.iterate(mutation), 1);
    expect(ok).toEqual({ data: { createAuthor: { name: 'Over the socket' } } });
    await withKey.dispose();
    const without = first.ws();
    const [refused] = await take(without.iterate(mutation), 1).catch((errors: unknown) => [
      { errors },
    ]);
    expect(JSON.stringify(refused)).toContain('UNAUTHENTICATED');
    await without.dispose();
  });

  it('GRAPHQLWS-ConnectionInit refuses a connection whose API key is wrong', async () => {
    const client = first.ws('Bearer wrong');
    await expect(take(client.iterate({ query: '{ __typename }' }), 1)).rejects.toMatchObject({
      code: 4403,
    });
    await client.dispose();
  });

  it('answers unknown topics with BAD_USER_INPUT', async () => {
    const client = first.ws();
    const failure = await take(
      client.iterate({ query: 'subscription { events(topics: ["nope"]) { seq } }' }),
      1,
    ).catch((errors: unknown) => errors);
    expect(JSON.stringify(failure)).toContain('BAD_USER_INPUT');
    await client.dispose();
  });
});
