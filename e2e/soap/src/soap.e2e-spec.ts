import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { logLine, refuseOversizedBody, type RunningService } from '@bookshop/testing';
import {
  envelope,
  faultOf,
  invoke,
  KEY,
  post,
  PYTHON,
  SchemaCheck,
  security,
  soapClients,
  SOAP_ENV,
  startSoap,
  textOf,
  uniqueIsbn,
} from './support';

const MISSING = '00000000-0000-4000-8000-999999999999';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('the SOAP service', () => {
  let service: RunningService;
  let clients: Awaited<ReturnType<typeof soapClients>>;
  let wsdl: string;
  let schemas: SchemaCheck;

  beforeAll(async () => {
    service = await startSoap();
    wsdl = await (await fetch(`${service.url}/soap?wsdl`)).text();
    schemas = new SchemaCheck(wsdl);
    clients = await soapClients(service);
  });

  afterAll(async () => {
    await clients?.close();
    await service?.stop();
  });

  const newAuthor = async () =>
    (await invoke(clients.writer, 'CreateAuthor', { name: 'Author' })).author;
  const newBook = async (overrides: Record<string, unknown> = {}) =>
    (
      await invoke(clients.writer, 'CreateBook', {
        title: 'A Book',
        authorId: (await newAuthor()).id,
        isbn: uniqueIsbn(),
        priceCents: 1000,
        stock: 5,
        ...overrides,
      })
    ).book;

  it('answers its health endpoints', async () => {
    expect(
      ((await (await fetch(`${service.url}/health/live`)).json()) as { status: string }).status,
    ).toBe('ok');
    expect(
      ((await (await fetch(`${service.url}/health/ready`)).json()) as { status: string }).status,
    ).toBe('ok');
  });

  describe('the WSDL at GET /soap?wsdl', () => {
    it('is served as text/xml and names the address the client used', async () => {
      const response = await fetch(`${service.url}/soap?WSDL`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/xml; charset=utf-8');
      expect(await response.text()).toContain(`<soap:address location="${service.url}/soap"/>`);
    });

    it('is valid against the WSDL 1.1 schema (xmllint with wsdl.xsd)', () => {
      expect(() => schemas.wsdl(wsdl)).not.toThrow();
      expect(() => schemas.wsdl(wsdl.replace('<wsdl:portType ', '<wsdl:portTypo '))).toThrow(
        /not valid/,
      );
    });

    it('reads as a WSDL 1.1 document with a document/literal SOAP 1.1 binding (python3-xmlschema)', () => {
      const script = [
        'import sys',
        'from xmlschema.extras.wsdl import Wsdl11Document',
        'd = Wsdl11Document(sys.argv[1])',
        'b = d.bindings["{urn:bookshop:v1}BookshopSoapBinding"]',
        'ops = b.operations.values()',
        'assert b.soap_transport == "http://schemas.xmlsoap.org/soap/http", b.soap_transport',
        'assert all(o.soap_style == "document" for o in ops)',
        'assert all(o.input.soap_body.get("use") == "literal" for o in ops)',
        'elements = [k for k in d.schema.maps.elements if k.startswith("{urn:bookshop:v1}")]',
        'keyed = sorted(o.name.split("}")[1] for o in ops if [h.part.name for h in o.input.soap_headers] == ["{urn:bookshop:v1}IdempotencyKey"])',
        'print(len(b.operations), len(d.messages), len(elements), " ".join(keyed))',
      ].join('\n');
      const output = execFileSync(PYTHON, ['-c', script, `${service.url}/soap?wsdl`]).toString();
      // 12 operations; 12 request, 12 response, one fault and one header message and element
      // each; the seven writes take the IdempotencyKey header.
      expect(output.trim()).toBe(
        '12 26 26 AdjustStock CancelOrder CreateAuthor CreateBook DeleteBook PlaceOrder UpdateBook',
      );
    });

    it('answers an unknown route with its HTTP status and a Fault envelope', async () => {
      const reply = await fetch(`${service.url}/nowhere`);
      expect(reply.status).toBe(404);
      expect(reply.headers.get('content-type')).toBe('text/xml; charset=utf-8');
      const text = await reply.text();
      expect(textOf(text, 'faultcode')).toBe('soap:Client');
      schemas.envelope(text);
    });

    it('is the only thing GET /soap serves', async () => {
      const reply = await fetch(`${service.url}/soap`);
      expect(reply.status).toBe(500);
      expect(await reply.text()).toContain('GET /soap?wsdl for the WSDL');
    });
  });

  describe('every operation, through a nestjs-soap client built from the WSDL', () => {
    it('CreateAuthor, GetAuthor and ListAuthors', async () => {
      await newAuthor();
      const { author } = await invoke(clients.writer, 'CreateAuthor', { name: ' Ann ', bio: 'b' });
      expect(author).toMatchObject({ name: 'Ann', bio: 'b' });
      expect(author.createdAt).toBeInstanceOf(Date);
      expect((await invoke(clients.reader, 'GetAuthor', { id: author.id })).author).toEqual(author);
      const first = await invoke(clients.reader, 'ListAuthors', { limit: 1 });
      expect(first.author).toHaveLength(1);
      expect(typeof first.nextCursor).toBe('string');
      const rest = await invoke(clients.reader, 'ListAuthors', {
        limit: 100,
        cursor: first.nextCursor,
      });
      expect(rest.author).toContainEqual(author);
      expect(rest.nextCursor).toBeUndefined();
    });

    it('CreateBook, GetBook, ListBooks, UpdateBook, AdjustStock and DeleteBook', async () => {
      const author = await newAuthor();
      const isbn = uniqueIsbn();
      const { book } = await invoke(clients.writer, 'CreateBook', {
        title: 'Dune',
        authorId: author.id,
        isbn: `${isbn.slice(0, 3)}-${isbn.slice(3)}`,
        priceCents: 999,
      });
      expect(book).toMatchObject({ title: 'Dune', isbn, priceCents: 999, stock: 0, version: 1 });
      expect((await invoke(clients.reader, 'GetBook', { id: book.id })).book).toEqual(book);
      expect(
        (await invoke(clients.reader, 'ListBooks', { authorId: author.id, q: 'DUN' })).book,
      ).toEqual([book]);
      const updated = await invoke(clients.writer, 'UpdateBook', {
        id: book.id,
        priceCents: 1,
        expectedVersion: 1,
      });
      expect(updated.book).toMatchObject({ priceCents: 1, version: 2 });
      const adjusted = await invoke(clients.writer, 'AdjustStock', { id: book.id, delta: 4 });
      expect(adjusted.book).toMatchObject({ stock: 4, version: 3 });
      expect(await invoke(clients.writer, 'DeleteBook', { id: book.id })).toEqual({ id: book.id });
      expect(
        (await faultOf(clients.reader, 'GetBook', { id: book.id })).detail?.BookshopFault?.code,
      ).toBe('NOT_FOUND');
    });

    it('PlaceOrder, GetOrder and CancelOrder, keeping the price at order time', async () => {
      const book = await newBook({ stock: 3, priceCents: 700 });
      const other = await newBook({ stock: 1, priceCents: 50 });
      const { order } = await invoke(clients.writer, 'PlaceOrder', {
        line: [
          { bookId: book.id, quantity: 2 },
          { bookId: other.id, quantity: 1 },
        ],
      });
      expect(order).toMatchObject({
        status: 'PLACED',
        line: [
          { bookId: book.id, quantity: 2, unitPriceCents: 700 },
          { bookId: other.id, quantity: 1, unitPriceCents: 50 },
        ],
        totalCents: 1450,
      });
      await invoke(clients.writer, 'UpdateBook', { id: book.id, priceCents: 9 });
      expect((await invoke(clients.reader, 'GetOrder', { id: order.id })).order).toEqual(order);
      expect((await invoke(clients.reader, 'GetBook', { id: book.id })).book.stock).toBe(1);
      const cancelled = await invoke(clients.writer, 'CancelOrder', { id: order.id });
      expect(cancelled.order).toMatchObject({ id: order.id, status: 'CANCELLED' });
      expect((await invoke(clients.reader, 'GetBook', { id: book.id })).book.stock).toBe(3);
    });
  });

  describe('every error code, as a Fault with BookshopFault in its detail', () => {
    it('SOAP11-§4.4 VALIDATION_FAILED: soap:Client, with each issue’s path', async () => {
      const book = await newBook();
      const fault = await faultOf(clients.writer, 'PlaceOrder', {
        line: [
          { bookId: book.id, quantity: 1 },
          { bookId: book.id, quantity: 101 },
        ],
      });
      expect(fault.faultcode).toBe('soap:Client');
      expect(fault.detail?.BookshopFault).toMatchObject({
        code: 'VALIDATION_FAILED',
        issue: expect.arrayContaining([expect.objectContaining({ path: 'lines[1].quantity' })]),
      });
      const reference = await faultOf(clients.writer, 'CreateBook', {
        title: 'T',
        authorId: MISSING,
        isbn: uniqueIsbn(),
        priceCents: 1,
      });
      expect(reference.detail?.BookshopFault).toMatchObject({
        code: 'VALIDATION_FAILED',
        issue: { path: 'authorId' },
      });
    });

    it('VALIDATION_FAILED for text where the schema says xsd:int', async () => {
      const book = await newBook();
      const reply = await post(
        service,
        envelope(
          `<b:AdjustStock><b:id>${book.id}</b:id><b:delta>12abc</b:delta></b:AdjustStock>`,
          security(KEY),
        ),
      );
      expect(reply.status).toBe(500);
      expect(textOf(reply.text, 'code')).toBe('VALIDATION_FAILED');
      expect(textOf(reply.text, 'path')).toBe('delta');
      schemas.envelope(reply.text);
    });

    it('UNAUTHENTICATED: soap:Client for a write without a UsernameToken, with a wrong key, or with a digest', async () => {
      for (const client of [clients.reader, clients.intruder]) {
        const fault = await faultOf(client, 'CreateAuthor', { name: 'Nobody' });
        expect(fault.faultcode).toBe('soap:Client');
        expect(fault.detail?.BookshopFault?.code).toBe('UNAUTHENTICATED');
      }
      const digest = await post(
        service,
        envelope(
          '<b:CreateAuthor><b:name>Nobody</b:name></b:CreateAuthor>',
          security(
            KEY,
            'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest',
          ),
        ),
      );
      expect(textOf(digest.text, 'code')).toBe('UNAUTHENTICATED');
      const listed = await invoke(clients.reader, 'ListAuthors', { limit: 100 });
      expect(listed.author.map((a: { name: string }) => a.name)).not.toContain('Nobody');
    });

    it('NOT_FOUND: soap:Client for a missing or malformed target id', async () => {
      for (const [operation, id] of [
        ['GetAuthor', MISSING],
        ['GetBook', 'not-a-uuid'],
        ['GetOrder', MISSING],
      ] as const) {
        const fault = await faultOf(clients.reader, operation, { id });
        expect(fault.faultcode).toBe('soap:Client');
        expect(fault.detail?.BookshopFault?.code).toBe('NOT_FOUND');
      }
    });

    it('CONFLICT: a stale expectedVersion, deleting an ordered book, cancelling twice', async () => {
      const book = await newBook();
      const stale = await faultOf(clients.writer, 'UpdateBook', {
        id: book.id,
        title: 'New',
        expectedVersion: 7,
      });
      expect(stale.detail?.BookshopFault?.code).toBe('CONFLICT');
      expect((await invoke(clients.reader, 'GetBook', { id: book.id })).book).toEqual(book);
      const { order } = await invoke(clients.writer, 'PlaceOrder', {
        line: [{ bookId: book.id, quantity: 1 }],
      });
      expect(
        (await faultOf(clients.writer, 'DeleteBook', { id: book.id })).detail?.BookshopFault?.code,
      ).toBe('CONFLICT');
      await invoke(clients.writer, 'CancelOrder', { id: order.id });
      const twice = await faultOf(clients.writer, 'CancelOrder', { id: order.id });
      expect(twice.faultcode).toBe('soap:Client');
      expect(twice.detail?.BookshopFault?.code).toBe('CONFLICT');
    });

    it('OUT_OF_STOCK: soap:Client listing every short line, and nothing changes', async () => {
      const a = await newBook({ stock: 1 });
      const b = await newBook({ stock: 2 });
      const reply = await post(
        service,
        envelope(
          `<b:PlaceOrder><b:line><b:bookId>${a.id}</b:bookId><b:quantity>2</b:quantity></b:line>` +
            `<b:line><b:bookId>${b.id}</b:bookId><b:quantity>1</b:quantity></b:line></b:PlaceOrder>`,
          security(KEY),
        ),
        { soapaction: '"urn:bookshop:v1#PlaceOrder"' },
      );
      expect(reply.status).toBe(500);
      expect(reply.text).toContain('<faultcode>soap:Client</faultcode>');
      expect(textOf(reply.text, 'code')).toBe('OUT_OF_STOCK');
      expect(reply.text).toContain(
        `<b:shortage><b:bookId>${a.id}</b:bookId><b:requested>2</b:requested><b:available>1</b:available></b:shortage>`,
      );
      schemas.envelope(reply.text);
      expect((await invoke(clients.reader, 'GetBook', { id: b.id })).book.stock).toBe(2);
    });

    it('SOAP11-§6.2 PAYLOAD_TOO_LARGE: soap:Client for a body over 1 MiB', async () => {
      const padding = 'x'.repeat(1024 * 1024);
      const reply = await post(
        service,
        envelope(`<b:CreateAuthor><b:name>${padding}</b:name></b:CreateAuthor>`, security(KEY)),
      );
      expect(reply.status).toBe(500);
      expect(reply.contentType).toBe('text/xml; charset=utf-8');
      expect(textOf(reply.text, 'faultcode')).toBe('soap:Client');
      expect(textOf(reply.text, 'code')).toBe('PAYLOAD_TOO_LARGE');
      schemas.envelope(reply.text);
    });

    it('answers a body over 1 MiB up front, then reads the rest and keeps the connection', async () => {
      // A proxy that buffered the body goes on sending it after the fault came:
      // the fault's HTTP 500 must not close the connection under it (the gateway
      // would lose the fault and answer 502).
      const refusal = await refuseOversizedBody(service.url, {
        path: '/soap',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
      });
      expect(refusal.head).toMatch(/^HTTP\/1\.1 500 /);
      expect(refusal.head.toLowerCase()).not.toContain('connection: close');
      expect(textOf(refusal.body, 'code')).toBe('PAYLOAD_TOO_LARGE');
      expect(refusal.nextStatus).toBe(200);
    });
  });

  describe('SOAP 1.1 faults the envelope checks raise (raw envelopes)', () => {
    const getBook = `<b:GetBook><b:id>${MISSING}</b:id></b:GetBook>`;

    /** Every fault: HTTP 500, text/xml, a valid SOAP 1.1 Fault envelope, no stack trace. */
    const expectFault = async (
      reply: Awaited<ReturnType<typeof post>>,
      faultcode: string,
      code: string | undefined,
    ) => {
      expect(reply.status).toBe(500);
      expect(reply.contentType).toBe('text/xml; charset=utf-8');
      expect(reply.text).toContain(`<soap:Envelope xmlns:soap="${SOAP_ENV}">`);
      expect(textOf(reply.text, 'faultcode')).toBe(faultcode);
      expect(textOf(reply.text, 'code')).toBe(code);
      if (code) expect(textOf(reply.text, 'requestId')).toBe(reply.requestId);
      expect(reply.text).not.toMatch(/\bat \S+ \(|node_modules|Error:/);
      schemas.envelope(reply.text);
    };

    it('SOAP11-§4.4.1 a body that is not a SOAP envelope → soap:Client', async () => {
      await expectFault(await post(service, 'hello'), 'soap:Client', 'BAD_REQUEST');
      await expectFault(await post(service, '{"id": 1}'), 'soap:Client', 'BAD_REQUEST');
      await expectFault(await post(service, ''), 'soap:Client', 'BAD_REQUEST');
      await expectFault(
        await post(
          service,
          getBook.replace('<b:GetBook>', '<b:GetBook xmlns:b="urn:bookshop:v1">'),
        ),
        'soap:Client',
        'BAD_REQUEST',
      );
      await expectFault(
        await post(service, '<s:Envelope xmlns:s="' + SOAP_ENV + '"><s:Body>'),
        'soap:Client',
        'BAD_REQUEST',
      );
    });

    it('SOAP11-§4.4.1 a SOAP 1.2 envelope → VersionMismatch', async () => {
      const soap12 = envelope(getBook).replace(SOAP_ENV, 'http://www.w3.org/2003/05/soap-envelope');
      await expectFault(
        await post(service, soap12, { 'content-type': 'application/soap+xml; charset=utf-8' }),
        'soap:VersionMismatch',
        'BAD_REQUEST',
      );
    });

    it('SOAP11-§4.2.3 a header entry with mustUnderstand="1" that the service does not understand → MustUnderstand, without detail', async () => {
      const header =
        '<t:Transaction xmlns:t="urn:example:tx" s:mustUnderstand="1">5</t:Transaction>';
      const reply = await post(service, envelope(getBook, header));
      await expectFault(reply, 'soap:MustUnderstand', undefined);
      expect(reply.text).not.toContain('<detail>');
      const ignorable = await post(service, envelope(getBook, header.replace('"1"', '"0"')));
      expect(textOf(ignorable.text, 'code')).toBe('NOT_FOUND');
    });

    it('SOAP11-§3 a DOCTYPE, and with it any external entity, is refused before parsing further', async () => {
      const xxe =
        '<?xml version="1.0"?><!DOCTYPE s:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
        envelope(`<b:GetBook><b:id>&xxe;</b:id></b:GetBook>`).replace(/^<\?xml[^>]*>/, '');
      const reply = await post(service, xxe);
      await expectFault(reply, 'soap:Client', 'BAD_REQUEST');
      expect(textOf(reply.text, 'faultstring')).toContain('DOCTYPE');
      expect(reply.text).not.toContain('root:');
    });

    it('elements nested deeper than SOAP_MAX_DEPTH (32) → soap:Client', async () => {
      const nest = (levels: number) => '<b:x>'.repeat(levels) + '</b:x>'.repeat(levels);
      const deep = await post(service, envelope(`<b:GetBook>${nest(30)}</b:GetBook>`));
      await expectFault(deep, 'soap:Client', 'BAD_REQUEST');
      expect(textOf(deep.text, 'faultstring')).toBe('Elements are nested deeper than 32 levels');
      const allowed = await post(service, envelope(`<b:GetBook>${nest(29)}</b:GetBook>`));
      expect(textOf(allowed.text, 'code')).toBe('VALIDATION_FAILED');
    });

    it('SOAP11-§6.1.1 a SOAPAction that is missing or names another operation → soap:Client', async () => {
      const missing = await fetch(`${service.url}/soap`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: Buffer.from(envelope(getBook)),
      });
      const text = await missing.text();
      expect(missing.status).toBe(500);
      expect(textOf(text, 'faultstring')).toContain('needs a SOAPAction header');
      const other = await post(service, envelope(getBook), {
        soapaction: '"urn:bookshop:v1#GetOrder"',
      });
      await expectFault(other, 'soap:Client', 'BAD_REQUEST');
      const right = await post(service, envelope(getBook), {
        soapaction: 'urn:bookshop:v1#GetBook',
      });
      expect(textOf(right.text, 'code')).toBe('NOT_FOUND');
    });

    it('SOAP11-§6.1 a content type other than text/xml → soap:Client', async () => {
      await expectFault(
        await post(service, envelope(getBook), { 'content-type': 'application/json' }),
        'soap:Client',
        'BAD_REQUEST',
      );
    });

    it('an operation the WSDL does not declare → soap:Client', async () => {
      const reply = await post(service, envelope('<b:StealBooks/>'));
      await expectFault(reply, 'soap:Client', 'BAD_REQUEST');
      expect(textOf(reply.text, 'faultstring')).toBe('There is no operation StealBooks');
    });
  });

  describe('tns:IdempotencyKey', () => {
    const keyHeader = (key: string, attributes = '') =>
      `<b:IdempotencyKey${attributes}>${key}</b:IdempotencyKey>`;
    const adjust = (id: string, delta: number, header: string) =>
      post(
        service,
        envelope(
          `<b:AdjustStock><b:id>${id}</b:id><b:delta>${delta}</b:delta></b:AdjustStock>`,
          security(KEY) + header,
        ),
      );

    it('replays a write: the same response, the stock changed once, even with mustUnderstand="1"', async () => {
      const book = await newBook({ stock: 5 });
      const header = keyHeader('soap-adjust-1', ' s:mustUnderstand="1"');
      const first = await adjust(book.id, 2, header);
      const repeat = await adjust(book.id, 2, header);
      expect(first.status).toBe(200);
      expect(repeat.status).toBe(200);
      expect(repeat.text).toBe(first.text);
      schemas.envelope(repeat.text);
      expect((await invoke(clients.reader, 'GetBook', { id: book.id })).book.stock).toBe(7);
    });

    it('answers the key with another request with a CONFLICT fault naming it, and changes nothing', async () => {
      const book = await newBook({ stock: 5 });
      await adjust(book.id, 1, keyHeader('soap-adjust-2'));
      const reused = await adjust(book.id, 3, keyHeader('soap-adjust-2'));
      expect(reused.status).toBe(500);
      expect(textOf(reused.text, 'code')).toBe('CONFLICT');
      expect(textOf(reused.text, 'path')).toBe('idempotencyKey');
      expect((await invoke(clients.reader, 'GetBook', { id: book.id })).book.stock).toBe(6);
    });

    it('refuses two keys, a key with elements in it, and a key that breaks the rule', async () => {
      const book = await newBook();
      const twice = await adjust(book.id, 1, keyHeader('a') + keyHeader('b'));
      expect([textOf(twice.text, 'faultcode'), textOf(twice.text, 'code')]).toEqual([
        'soap:Client',
        'BAD_REQUEST',
      ]);
      const nested = await adjust(book.id, 1, keyHeader('<b:part>a</b:part>'));
      expect(textOf(nested.text, 'code')).toBe('BAD_REQUEST');
      const spaced = await adjust(book.id, 1, keyHeader('has space'));
      expect([textOf(spaced.text, 'code'), textOf(spaced.text, 'path')]).toEqual([
        'VALIDATION_FAILED',
        'idempotencyKey',
      ]);
      expect((await invoke(clients.reader, 'GetBook', { id: book.id })).book.stock).toBe(5);
    });
  });

  it('answers a raw request with a response valid against the WSDL’s schema', async () => {
    const book = await newBook();
    const reply = await post(service, envelope(`<b:GetBook><b:id>${book.id}</b:id></b:GetBook>`), {
      soapaction: '"urn:bookshop:v1#GetBook"',
    });
    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe('text/xml; charset=utf-8');
    expect(textOf(reply.text, 'createdAt')).toMatch(ISO);
    schemas.envelope(reply.text);
    const list = await post(service, envelope('<b:ListBooks><b:limit>3</b:limit></b:ListBooks>'));
    schemas.envelope(list.text);
  });

  it('logs the operation call with its outcome on the request’s line, and the caller’s faults as warnings', async () => {
    const reply = await post(service, envelope(`<b:GetOrder><b:id>${MISSING}</b:id></b:GetOrder>`));
    expect(reply.status).toBe(500);
    const logged = await logLine(
      service,
      (entry) =>
        entry['res'] !== undefined &&
        (entry['req'] as { id?: string } | undefined)?.id === reply.requestId,
    );
    // pino levels: 40 warn, 50 error. The fault is the caller's.
    expect(logged).toMatchObject({
      level: 40,
      res: { statusCode: 500 },
      calls: [{ operation: 'orders.get', outcome: 'NOT_FOUND', ms: expect.any(Number) }],
    });
  });

  it('interoperates with zeep, which calls every operation from the WSDL alone', () => {
    const output = execFileSync(PYTHON, [
      join(__dirname, 'zeep-interop.py'),
      `${service.url}/soap?wsdl`,
      KEY,
      uniqueIsbn(),
      uniqueIsbn(),
    ]).toString();
    const report = JSON.parse(output);
    expect(report.CreateAuthor).toMatchObject({ name: 'Zeep Author', bio: 'Wrote from Python' });
    expect(report.GetAuthor).toEqual(report.CreateAuthor);
    expect(report.ListAuthors.author).toContainEqual(report.CreateAuthor);
    expect(report.CreateBook).toMatchObject({
      title: 'Interop',
      priceCents: 1250,
      stock: 3,
      version: 1,
    });
    expect(report.GetBook).toEqual(report.CreateBook);
    expect(report.ListBooks).toEqual({ book: [report.CreateBook], nextCursor: null });
    expect(report.UpdateBook).toMatchObject({ title: 'Interop, revised', version: 2 });
    expect(report.AdjustStock).toMatchObject({ stock: 5, version: 3 });
    expect(report.PlaceOrder).toMatchObject({
      status: 'PLACED',
      line: [{ bookId: report.CreateBook.id, quantity: 2, unitPriceCents: 1250 }],
      totalCents: 2500,
    });
    expect(report.GetOrder).toEqual(report.PlaceOrder);
    expect(report.CancelOrder).toMatchObject({ id: report.PlaceOrder.id, status: 'CANCELLED' });
    expect(report.DeleteBook).toMatch(/^[0-9a-f-]{36}$/);
    expect(report.IdempotentAdjustStock[1]).toEqual(report.IdempotentAdjustStock[0]);
    expect(report.StockAfterRepeat).toBe(report.IdempotentAdjustStock[0].stock);
    expect(report.faults).toEqual({
      NOT_FOUND: { fault: 'soap:Client', code: 'NOT_FOUND', paths: [], shortages: 0 },
      UNAUTHENTICATED: { fault: 'soap:Client', code: 'UNAUTHENTICATED', paths: [], shortages: 0 },
      VALIDATION_FAILED: {
        fault: 'soap:Client',
        code: 'VALIDATION_FAILED',
        paths: ['lines[0].quantity'],
        shortages: 0,
      },
      CONFLICT: { fault: 'soap:Client', code: 'CONFLICT', paths: expect.any(Array), shortages: 0 },
      OUT_OF_STOCK: { fault: 'soap:Client', code: 'OUT_OF_STOCK', paths: [], shortages: 1 },
    });
  });

  it('stops gracefully on SIGTERM', async () => {
    const own = await startSoap();
    expect(await own.stop('SIGTERM')).toBe(0);
    expect(own.logs.map((entry) => entry['event'])).toEqual(
      expect.arrayContaining(['listening', 'stopping', 'stopped']),
    );
  });
});
