/**
 * What the benchmark's tools share: the catalogue they read, and the OTLP
 * receiver the traced services export to.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Bookshop, randomIds, systemClock } from '@bookshop/domain';
import { DrizzleStore, openDatabase } from '@bookshop/persistence';
import { type SeededData } from './targets';

/**
 * The settings every measured service runs with. Request logs stay on
 * (info): they are part of what a service costs in production. The load
 * comes from one address and one key, so the rate limits are raised out of
 * reach rather than turned off: each call still pays for being counted.
 */
export function serviceEnv(databaseUrl: string, apiKey: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    API_KEYS: apiKey,
    LOG_LEVEL: 'info',
    RATE_LIMIT_READS: '1000000000',
    RATE_LIMIT_WRITES: '1000000000',
  };
}

/** 50 authors and 1000 books; each page of 20 books holds five authors. Stock is plenty. */
export async function seed(url: string): Promise<Pick<SeededData, 'bookIds' | 'cursors'>> {
  const database = await openDatabase({ url });
  await database.migrate();
  const bookshop = new Bookshop({
    store: new DrizzleStore(database.db),
    clock: systemClock,
    ids: randomIds,
  });
  const authors = [];
  for (let a = 0; a < 50; a++) {
    authors.push(
      await bookshop.execute('authors.create', { name: `Author ${a}`, bio: `Wrote ${a} books` }),
    );
  }
  const bookIds: string[] = [];
  for (let b = 0; b < 1000; b++) {
    const author = authors[(Math.floor(b / 20) * 5 + (b % 5)) % 50]!;
    const book = await bookshop.execute('books.create', {
      title: `Benchmark book ${b}`,
      authorId: author.id,
      isbn: isbn13(978_100_000_000 + b),
      priceCents: 100 + b,
      stock: 1_000_000,
    });
    bookIds.push(book.id);
  }
  const cursors: (string | undefined)[] = [undefined];
  for (let page = 0; page < 40; page++) {
    const next = (await bookshop.execute('books.list', { limit: 20, cursor: cursors.at(-1) }))
      .nextCursor;
    if (!next) break;
    cursors.push(next);
  }
  await database.close();
  return { bookIds, cursors };
}

/** A valid ISBN-13 from its first twelve digits. */
function isbn13(first12: number): string {
  const digits = String(first12).padStart(12, '0');
  const sum = [...digits].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
  return `${digits}${(10 - (sum % 10)) % 10}`;
}

/**
 * Where the traced services send their spans (OTLP over HTTP): read and
 * dropped, as a collector that keeps up would take them. It runs in a process
 * of its own, as a collector would: in this one, busy generating load, an
 * export would wait for its reply while the load runs.
 */
export async function otlpSink(): Promise<{
  url: string;
  exports: () => Promise<number>;
  close(): Promise<void>;
}> {
  const source = `
    let requests = 0;
    const server = require('node:http').createServer((request, response) => {
      if (request.url === '/count') return response.end(String(requests));
      request.resume();
      request.on('end', () => {
        requests += 1;
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    // Written as it is: console.log would colour a number when FORCE_COLOR is set (as Nx sets it).
    server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
    process.on('SIGTERM', () => process.exit(0));
  `;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const port = Number(line);
  if (!Number.isInteger(port) || port <= 0) {
    child.kill('SIGTERM');
    throw new Error(`the OTLP sink did not say its port: ${JSON.stringify(line)}`);
  }
  const url = `http://127.0.0.1:${port}`;
  let last = 0;
  return {
    url,
    exports: async () => {
      if (child.exitCode === null) last = Number(await (await fetch(`${url}/count`)).text());
      return last;
    },
    close: async () => {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
