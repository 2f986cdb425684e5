import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { DEFAULT_PORTS, OPERATION_NAMES } from '@bookshop/domain';
import { type RunningSystem, startSystem } from '@bookshop/testing';

const ROOT = join(__dirname, '../../..');
const OFFSET = 24_000;
const EXPLORER = `http://127.0.0.1:${DEFAULT_PORTS.explorer + OFFSET}`;
const SHOTS = join(ROOT, 'tmp/explorer');
/** Debian's Chromium; never a downloaded browser. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let system: RunningSystem;
let browser: Browser;
let page: Page;
/** Every request the page made, HTTP and WebSocket: none may leave loopback. */
const requested: string[] = [];

beforeAll(async () => {
  system = await startSystem(OFFSET, { API_KEYS: '' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  page = await browser.newPage({ viewport: { width: 1800, height: 1300 } });
  page.on('request', (request) => requested.push(request.url()));
  page.on('websocket', (socket) => requested.push(socket.url()));
  await page.goto(EXPLORER);
  await page.waitForSelector('body[data-ready="true"]');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

/** Runs a preset from its button and waits for its five columns. */
async function runPreset(name: string) {
  const before = await page.textContent('#status');
  await page.click(`button[data-preset="${name}"]`);
  // The status line names the five outcomes once the exchange is back.
  await page.waitForFunction((previous) => {
    const status = document.getElementById('status')?.textContent ?? '';
    return status !== previous && status.includes(' · ');
  }, before);
  return page.$$eval('article.run', (runs) =>
    runs.map((run) => ({
      protocol: (run as HTMLElement).dataset['protocol'],
      code: (run as HTMLElement).dataset['code'],
      wire: run.querySelector('.wire')?.textContent,
      bytes: run.querySelector('.facts span[title^="bytes"]')?.textContent,
      messages: run.querySelectorAll('pre').length,
    })),
  );
}

describe('the explorer in Chromium', () => {
  it('runs books.get over all five wires and shows five results side by side', async () => {
    const runs = await runPreset('read');
    expect(runs.map((run) => run.protocol)).toEqual([
      'rest',
      'soap',
      'graphql',
      'jsonrpc',
      'websocket',
    ]);
    for (const run of runs) {
      expect(run.code).toBe('ok');
      expect(run.bytes).toMatch(/^↑ \d+ B ↓ \d+ B$/);
      expect(run.messages).toBeGreaterThanOrEqual(2);
    }
    const rest = await page.textContent('article.run[data-protocol="rest"] pre.client');
    expect(rest).toMatch(/^GET \/api\/books\/[0-9a-f-]{36} HTTP\/1\.1/);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'books-get.png'), fullPage: true });
  });

  it('shows CONFLICT in each protocol’s own shape for a stale expectedVersion', async () => {
    const runs = await runPreset('stale-version');
    expect(runs.map((run) => run.code)).toEqual(Array(5).fill('CONFLICT'));
    expect(runs.map((run) => run.wire)).toEqual([
      '412',
      'soap:Client',
      '200 CONFLICT',
      '-32009',
      'error CONFLICT',
    ]);
    await page.screenshot({ path: join(SHOTS, 'stale-version.png'), fullPage: true });
  });

  it('pushes a write made in the explorer to the WebSocket and graphql-ws subscribers', async () => {
    await page.fill('#topics', 'authors');
    await page.click('#subscribe');
    // Both subscriptions answer before the write: the WebSocket one replies, graphql-ws acknowledges.
    await page.waitForTimeout(500);
    await page.selectOption('#operation', 'authors.create');
    await page.fill('#field-name', 'Written in the explorer');
    await page.click('#send');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('#events-websocket li').length >= 5 &&
        document.querySelectorAll('#events-graphql li').length >= 5,
    );
    for (const list of ['#events-websocket', '#events-graphql']) {
      const events = await page.$$eval(`${list} li`, (items) =>
        items.map((item) => item.textContent),
      );
      expect(events).toHaveLength(5);
      for (const event of events) expect(event).toMatch(/^\d+ author\.created$/);
    }
  });

  it('serves GraphiQL from the GraphQL service itself, and it runs a query', async () => {
    const ide = await browser.newPage();
    ide.on('request', (request) => requested.push(request.url()));
    try {
      await ide.goto(`http://127.0.0.1:${DEFAULT_PORTS.graphql + OFFSET}/graphql`);
      await ide.click('.graphiql-execute-button');
      await ide.waitForFunction(() =>
        document.querySelector('.result-window')?.textContent?.includes('"title"'),
      );
      expect(await ide.textContent('.result-window')).toContain('"edges"');
    } finally {
      await ide.close();
    }
  });

  it('shows real examples in Swagger UI, not "string" for every field', async () => {
    const docs = await browser.newPage();
    docs.on('request', (request) => requested.push(request.url()));
    try {
      await docs.goto(`http://127.0.0.1:${DEFAULT_PORTS.rest + OFFSET}/api/docs`);
      const operation = docs
        .locator('.opblock-get')
        .filter({ has: docs.locator('[data-path="/api/books/{id}"]') })
        .first();
      await operation.locator('.opblock-summary').click();
      const example = await operation.locator('.microlight').first().elementHandle();
      if (!example) throw new Error('no example shown');
      const text = (await example.textContent()) ?? '';
      // Generated from the schemas: integers for money, UUID-shaped ids, ISO times.
      expect(text).toMatch(/"priceCents": \d+/);
      expect(text).toMatch(/"id": "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-/);
      expect(text).toMatch(/"createdAt": "\d{4}-\d\d-\d\dT/);
    } finally {
      await docs.close();
    }
  });

  /** Opens one of the explorer's readable documents and waits for it to be drawn. */
  async function openDocument(protocol: string) {
    const view = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    view.on('request', (request) => requested.push(request.url()));
    await view.goto(`${EXPLORER}/documents/${protocol}`);
    await view.waitForSelector('body[data-ready]');
    expect(await view.getAttribute('body', 'data-ready')).toBe('true');
    return view;
  }

  it('shows the WSDL readably: each operation with its SOAPAction, request and response fields', async () => {
    const view = await openDocument('soap');
    try {
      const operations = await view.$$eval('section.operation', (sections) =>
        sections.map((section) => (section as HTMLElement).dataset['operation']),
      );
      expect(operations).toHaveLength(OPERATION_NAMES.length);
      expect(operations).toContain('UpdateBook');
      const update = view.locator('section[data-operation="UpdateBook"]');
      expect(await update.textContent()).toContain('urn:bookshop:v1#UpdateBook');
      const fields = await update
        .locator('table.fields')
        .first()
        .locator('tbody td:first-child')
        .allTextContents();
      expect(fields).toEqual(['id', 'title', 'authorId', 'isbn', 'priceCents', 'expectedVersion']);
      // Types are listed with their fields, and an operation's types link to them.
      expect(await view.locator('#type-Book td.mono').allTextContents()).toContain('stock');
      await view.screenshot({ path: join(SHOTS, 'wsdl.png') });
    } finally {
      await view.close();
    }
  });

  it('shows the OpenRPC document readably: every method with its params, result and errors', async () => {
    const view = await openDocument('jsonrpc');
    try {
      const methods = await view.$$eval('section.operation', (sections) =>
        sections.map((section) => (section as HTMLElement).dataset['operation']),
      );
      expect(methods).toEqual(OPERATION_NAMES);
      const update = (await view.locator('#method-books\\.update').textContent()) ?? '';
      expect(update).toContain('expectedVersion');
      expect(update).toContain('-32009');
      expect(update).toContain('"code":"CONFLICT"');
    } finally {
      await view.close();
    }
  });

  it('shows the AsyncAPI document in the AsyncAPI React component, bundled with the explorer', async () => {
    const view = await openDocument('websocket');
    try {
      await view.waitForSelector('#introduction');
      const text = (await view.textContent('#document')) ?? '';
      expect(text).toContain('Bookshop WebSocket API');
      for (const name of OPERATION_NAMES) expect(text).toContain(`${name} request`);
      await view.screenshot({ path: join(SHOTS, 'asyncapi.png') });
    } finally {
      await view.close();
    }
  });

  it("answers each service's GET / with its protocol, its document and the explorer", async () => {
    const documents = {
      rest: '/api/openapi.json',
      soap: '/soap?wsdl',
      graphql: '/graphql',
      jsonrpc: '/rpc',
      websocket: '/asyncapi.json',
    } as const;
    for (const [service, document] of Object.entries(documents)) {
      const base = `http://127.0.0.1:${DEFAULT_PORTS[service as keyof typeof documents] + OFFSET}`;
      const facts = (await (await fetch(`${base}/`)).json()) as Record<string, string>;
      expect(facts).toMatchObject({ service, document, explorer: expect.stringMatching(/^http/) });
      const html = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
      expect(html.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await html.text()).toContain(`href="${document}"`);
      // The three documents without a tool of their own point at the explorer's readable view.
      if (['soap', 'jsonrpc', 'websocket'].includes(service))
        expect(facts['view']).toMatch(new RegExp(`^http://[^/]+/documents/${service}$`));
    }
    const openrpc = await fetch(`http://127.0.0.1:${DEFAULT_PORTS.jsonrpc + OFFSET}/rpc`);
    expect(((await openrpc.json()) as { openrpc: string }).openrpc).toMatch(/^1\.3/);
  });

  it('loads nothing from outside loopback', () => {
    expect(requested.length).toBeGreaterThan(0);
    for (const url of requested)
      expect(new URL(url).hostname).toMatch(/^(127\.0\.0\.1|localhost)$/);
  });
});
