import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '@bookshop/clients';
import { DEFAULT_PORTS, demoBooks, EXAMPLE_SCRIPT } from '@bookshop/domain';
import { type RunningSystem, startSystem } from '@bookshop/testing';
import { type HttpFileResult, runHttpFile } from './http-file';

const COLLECTIONS = join(__dirname, '../../../collections');
const OFFSET = 26_000;
const KEY = 'collections-key';
const url = (protocol: keyof typeof DEFAULT_PORTS) =>
  `http://127.0.0.1:${DEFAULT_PORTS[protocol] + OFFSET}`;

/** What each protocol calls success on the wire. */
const SUCCEEDED = {
  rest: (result: HttpFileResult) => result.status >= 200 && result.status < 300,
  soap: (result: HttpFileResult) => result.status === 200 && !/<\w+:Fault>/.test(result.body),
  graphql: (result: HttpFileResult) =>
    result.status === 200 && !('errors' in (JSON.parse(result.body) as object)),
  jsonrpc: (result: HttpFileResult) =>
    result.status === 200 && 'result' in (JSON.parse(result.body) as object),
} as const;
type CollectionProtocol = keyof typeof SUCCEEDED;

describe('the request collections (collections/*.http)', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem(OFFSET, { API_KEYS: KEY });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('are one file per HTTP protocol', () => {
    expect(readdirSync(COLLECTIONS).sort()).toEqual(
      Object.keys(SUCCEEDED)
        .map((protocol) => `${protocol}.http`)
        .sort(),
    );
  });

  it.each(Object.keys(SUCCEEDED) as CollectionProtocol[])(
    '%s.http runs top to bottom against the demo catalogue, and again',
    async (protocol) => {
      const text = readFileSync(join(COLLECTIONS, `${protocol}.http`), 'utf8');
      for (const round of [1, 2]) {
        const results = await runHttpFile(text, { base: url(protocol), apiKey: KEY });
        expect(results.map((result) => result.title.split(':')[0])).toEqual(
          EXAMPLE_SCRIPT.map((step) => step.operation),
        );
        const failed = results
          .filter((result) => !SUCCEEDED[protocol](result))
          .map((result) => `round ${round}, ${result.title}: ${result.status} ${result.body}`);
        expect(failed).toEqual([]);
      }
    },
  );

  it('leave the demo catalogue’s books and stock as they were', async () => {
    const client = await connect('rest', { url: url('rest') });
    try {
      const books = await client.listBooks({ limit: 100 });
      expect(books.items.map(({ id, stock }) => ({ id, stock }))).toEqual(
        demoBooks.map(({ id, stock }) => ({ id, stock })),
      );
    } finally {
      await client.close();
    }
  });
});
