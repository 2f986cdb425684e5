import { resultSchemas } from '@bookshop/domain';
import { readXmlDocument, toXml } from '@bookshop/xml';
import { type RunningService } from '@bookshop/testing';
import { KEY, startRest, uniqueIsbn } from './support';

const NS = 'urn:bookshop:rest';
const XML = 'application/xml';
const schemas = resultSchemas('draft-2020-12');
const fromXml = (text: string, root: string, schema: string) =>
  readXmlDocument(text, { root, schema: schemas[schema] as never, definitions: schemas });

/** REST's representations: JSON, XML and (for lists) CSV, by Accept and Content-Type. */
describe('the REST service in several formats', () => {
  let service: RunningService;
  let authorId: string;

  beforeAll(async () => {
    ({ service } = await startRest());
    authorId = (await json('POST', '/api/authors', { name: 'Formats' })).body.id;
  });

  afterAll(async () => {
    await service.stop();
  });

  async function send(
    method: string,
    path: string,
    options: {
      body?: string;
      type?: string;
      accept?: string;
      headers?: Record<string, string>;
    } = {},
  ) {
    const response = await fetch(new URL(path, service.url), {
      method,
      headers: {
        authorization: `Bearer ${KEY}`,
        ...(options.type ? { 'content-type': options.type } : {}),
        ...(options.accept ? { accept: options.accept } : {}),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: options.body }),
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  async function json(method: string, path: string, body?: unknown) {
    const reply = await send(method, path, {
      type: 'application/json',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { ...reply, body: reply.text ? JSON.parse(reply.text) : undefined };
  }

  const newBook = async (title = 'Formats Book') =>
    (
      await json('POST', '/api/books', {
        title,
        authorId,
        isbn: uniqueIsbn(),
        priceCents: 1250,
        stock: 10,
      })
    ).body;

  const expectXmlProblem = (
    reply: { status: number; headers: Headers; text: string },
    status: number,
    code: string,
  ) => {
    expect(reply.status).toBe(status);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+xml/);
    expect(reply.text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<problem xmlns="urn:ietf:rfc:7807">/,
    );
    expect(reply.text).toContain(`<status>${status}</status>`);
    expect(reply.text).toContain(`<code>${code}</code>`);
  };

  it('sends a book as XML, the same values as its JSON, with its own ETag and Vary: Accept', async () => {
    const book = await newBook();
    const asJson = await json('GET', `/api/books/${book.id}`);
    const asXml = await send('GET', `/api/books/${book.id}`, { accept: XML });
    expect(asXml.status).toBe(200);
    expect(asXml.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(asXml.headers.get('vary')).toBe('Accept');
    expect(asJson.headers.get('vary')).toBe('Accept');
    expect(asXml.text).toMatch(new RegExp(`^<\\?xml[^>]*\\?>\\n<book xmlns="${NS}"><id>`));
    expect(fromXml(asXml.text, 'book', 'Book')).toEqual(asJson.body);
    // Two representations, two strong validators (RFC 9110 §8.8.3).
    expect(asJson.headers.get('etag')).toBe('"1"');
    expect(asXml.headers.get('etag')).toBe('"1-xml"');
    const again = await send('GET', `/api/books/${book.id}`, {
      accept: XML,
      headers: { 'if-none-match': '"1-xml"' },
    });
    expect(again.status).toBe(304);
  });

  it('chooses by the Accept header as RFC 9110 §12.5.1 weighs it', async () => {
    const book = await newBook();
    const typeFor = async (accept: string) =>
      (await send('GET', `/api/books/${book.id}`, { accept })).headers.get('content-type');
    expect(await typeFor('*/*')).toMatch(/^application\/json/);
    expect(await typeFor('text/xml')).toMatch(/^application\/xml/);
    expect(await typeFor('application/xml;q=0.5, application/json')).toMatch(/^application\/json/);
    expect(await typeFor('application/json;q=0.1, application/*')).toMatch(/^application\/xml/);
    expect(await typeFor('text/html, application/xml;q=0.9')).toMatch(/^application\/xml/);
  });

  it('creates from an XML body and answers in XML', async () => {
    const isbn = uniqueIsbn();
    const created = await send('POST', '/api/books', {
      type: 'application/xml; charset=utf-8',
      accept: XML,
      body: toXml('book', {
        title: 'Written in <XML> & read',
        authorId,
        isbn,
        priceCents: 999,
        stock: 3,
      }),
    });
    expect(created.status).toBe(201);
    const book = fromXml(created.text, 'book', 'Book') as {
      id: string;
      title: string;
      stock: number;
    };
    expect(created.headers.get('location')).toBe(`/api/books/${book.id}`);
    expect((await json('GET', `/api/books/${book.id}`)).body).toMatchObject({
      title: 'Written in <XML> & read',
      isbn,
      priceCents: 999,
      stock: 3,
    });
  });

  it('takes the XML ETag in If-Match, and answers a stale one 412 as problem+xml', async () => {
    const book = await newBook();
    const update = (ifMatch: string) =>
      send('PATCH', `/api/books/${book.id}`, {
        type: XML,
        accept: XML,
        headers: { 'if-match': ifMatch },
        body: `<book xmlns="${NS}"><priceCents>1500</priceCents></book>`,
      });
    const first = await update('"1-xml"');
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2-xml"');
    expect(fromXml(first.text, 'book', 'Book')).toMatchObject({ priceCents: 1500, version: 2 });
    expectXmlProblem(await update('"1-xml"'), 412, 'CONFLICT');
  });

  it('refuses invalid XML input with the same codes and paths as JSON, and changes nothing', async () => {
    const book = await newBook();
    const place = (lines: string) =>
      send('POST', '/api/orders', {
        type: XML,
        accept: XML,
        body: `<order xmlns="${NS}"><lines>${lines}</lines></order>`,
      });
    const invalid = await place(`<i><bookId>${book.id}</bookId><quantity>two</quantity></i>`);
    expectXmlProblem(invalid, 422, 'VALIDATION_FAILED');
    expect(invalid.text).toContain(
      '<errors><i><path>lines[0].quantity</path><message>quantity must be a number</message></i></errors>',
    );
    const tooMany = await place(`<i><bookId>${book.id}</bookId><quantity>11</quantity></i>`);
    expectXmlProblem(tooMany, 409, 'OUT_OF_STOCK');
    expect(tooMany.text).toContain(
      `<i><bookId>${book.id}</bookId><requested>11</requested><available>10</available></i>`,
    );
    const placed = await place(`<i><bookId>${book.id}</bookId><quantity>2</quantity></i>`);
    expect(placed.status).toBe(201);
    expect(fromXml(placed.text, 'order', 'Order')).toMatchObject({
      status: 'PLACED',
      lines: [{ bookId: book.id, quantity: 2, unitPriceCents: 1250 }],
      totalCents: 2500,
    });
    expect((await json('GET', `/api/books/${book.id}`)).body.stock).toBe(8);
  });

  it.each([
    [
      'a DOCTYPE',
      `<!DOCTYPE order [<!ENTITY e SYSTEM "file:///etc/passwd">]><order xmlns="${NS}"><lines/></order>`,
    ],
    ['an undeclared entity', `<order xmlns="${NS}"><lines>&e;</lines></order>`],
    ['elements 33 deep', `<order xmlns="${NS}">${'<i>'.repeat(32)}${'</i>'.repeat(32)}</order>`],
    ['no namespace', '<order><lines/></order>'],
    ['another root', `<book xmlns="${NS}"><lines/></book>`],
    ['an attribute', `<order xmlns="${NS}" priority="high"><lines/></order>`],
    ['ill-formed XML', `<order xmlns="${NS}"><lines></order>`],
  ])('refuses a body with %s as 400 BAD_REQUEST', async (_, body) => {
    expectXmlProblem(
      await send('POST', '/api/orders', { type: XML, accept: XML, body }),
      400,
      'BAD_REQUEST',
    );
  });

  it('refuses an XML body over 1 MiB as 413 PAYLOAD_TOO_LARGE', async () => {
    const body = `<author xmlns="${NS}"><name>${'x'.repeat(1024 * 1024)}</name></author>`;
    expectXmlProblem(
      await send('POST', '/api/authors', { type: XML, accept: XML, body }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('answers 415 to a body it cannot read, and to XML in another charset', async () => {
    const text = await send('POST', '/api/authors', {
      type: 'text/plain',
      accept: XML,
      body: 'name',
    });
    expectXmlProblem(text, 415, 'BAD_REQUEST');
    const latin1 = await send('POST', '/api/authors', {
      type: 'application/xml; charset=iso-8859-1',
      body: `<author xmlns="${NS}"><name>x</name></author>`,
    });
    expect(latin1.status).toBe(415);
    expect(latin1.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('answers 406 before a write runs when Accept allows nothing the route produces', async () => {
    const book = await newBook();
    const refused = await send('POST', '/api/orders', {
      type: 'application/json',
      accept: 'image/png',
      body: JSON.stringify({ lines: [{ bookId: book.id, quantity: 1 }] }),
    });
    expect(refused.status).toBe(406);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(refused.text)).toMatchObject({ status: 406, code: 'BAD_REQUEST' });
    expect((await json('GET', `/api/books/${book.id}`)).body.stock).toBe(10);
    expect((await send('GET', `/api/books/${book.id}`, { accept: 'text/csv' })).status).toBe(406);
  });

  it('sends a list as RFC 4180 CSV, a page at a time with a next link', async () => {
    const own = (await json('POST', '/api/authors', { name: 'Lister' })).body.id;
    for (const title of ['Plain', 'With, comma', 'With "quotes"']) {
      await json('POST', '/api/books', {
        title,
        authorId: own,
        isbn: uniqueIsbn(),
        priceCents: 1,
        stock: 0,
      });
    }
    const first = await send('GET', `/api/books?authorId=${own}&limit=2`, { accept: 'text/csv' });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const rows = first.text.split('\r\n');
    expect(rows[0]).toBe('id,title,authorId,isbn,priceCents,stock,version,createdAt,updatedAt');
    expect(rows).toHaveLength(4); // header, two books, the empty string after the last CRLF
    const link = first.headers.get('link') ?? '';
    const next = /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
    expect(next).toMatch(/^\/api\/books\?authorId=.*&limit=2&cursor=/);
    const second = await send('GET', next as string, { accept: 'text/csv' });
    expect(second.headers.get('link')).toBeNull();
    const titles = [...rows.slice(1, 3), ...second.text.split('\r\n').slice(1, -1)].map(
      (row) => /^[^,]+,("(?:[^"]|"")*"|[^,]*),/.exec(row)?.[1],
    );
    expect(titles.sort()).toEqual(['"With ""quotes"""', '"With, comma"', 'Plain'].sort());
    expect((await send('GET', `/api/books?include=author`, { accept: 'text/csv' })).status).toBe(
      406,
    );
  });

  it('answers in JSON when XML 1.0 cannot carry the text', async () => {
    const book = await newBook('Bell \u0007 rings');
    const reply = await send('GET', `/api/books/${book.id}`, { accept: XML });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(reply.text).title).toBe('Bell \u0007 rings');
  });
});
