/**
 * Event fan-out: N live subscribers over WebSocket and over graphql-ws, on one
 * and on two instances of the service, while writes commit at a steady rate.
 * Reports write-to-client latency (p50, p99: from the start of the write to the
 * event reaching a subscriber), events delivered per second, the services' CPU
 * per event per 1,000 subscribers and their resident memory per 1,000
 * connections; every subscriber must receive every event, in order.
 *
 *   nx run bench:fan-out                                 100, 1,000, 5,000 subscribers
 *   nx run bench:fan-out --args="--subscribers 1000 --instances 2"
 *   nx run bench:fan-out --args=--quick                  100 subscribers, briefly (npm test)
 *
 * Writes are made in this process through the store, as any service makes
 * them: what is measured is the path from a commit to the subscribers.
 * Postgres comes from DATABASE_URL, else a container (POSTGRES_IMAGE).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bookshop, randomIds, systemClock } from '@bookshop/domain';
import { DrizzleStore, openDatabase } from '@bookshop/persistence';
import { type RunningService, startService } from '@bookshop/testing';
import WebSocket from 'ws';
import { benchDatabase } from './database';
import { cpuMs, percentile } from './measure';
import { barChart } from './report';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const list = (name: string, fallback: number[]) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? (argv[index + 1] ?? '').split(',').map(Number) : fallback;
};
const SUBSCRIBERS = list('subscribers', quick ? [100] : [100, 1000, 5000]);
const INSTANCES = list('instances', quick ? [1] : [1, 2]);
const [RATE = quick ? 20 : 10] = list('rate', []);
const [SECONDS = quick ? 2 : 5] = list('seconds', []);
const PROTOCOLS = ['websocket', 'graphql'] as const;
type Protocol = (typeof PROTOCOLS)[number];

/** Resident memory now, in MiB. */
function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

interface Subscriber {
  socket: WebSocket;
  seqs: number[];
  /** The author name of the last event it heard. */
  last: string;
}

/** One live subscriber to `authors`; `heard` gets each event's author name. */
function subscribe(
  protocol: Protocol,
  url: string,
  heard: (name: string) => void,
): Promise<Subscriber> {
  const base = url.replace(/^http/, 'ws');
  const socket =
    protocol === 'websocket'
      ? new WebSocket(`${base}/ws`)
      : new WebSocket(`${base}/graphql`, 'graphql-transport-ws');
  const subscriber: Subscriber = { socket, seqs: [], last: '' };
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.on('open', () => {
      socket.send(
        JSON.stringify(
          protocol === 'websocket'
            ? { id: 1, op: 'subscribe', params: { topics: ['authors'] } }
            : { type: 'connection_init', payload: {} },
        ),
      );
    });
    socket.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as {
        id?: number | string;
        type?: string;
        event?: string;
        seq?: number;
        data?: { name?: string };
        result?: unknown;
        error?: unknown;
        payload?: { data?: { events?: { seq: number; data: { name?: string } } } };
      };
      if (protocol === 'websocket') {
        if (frame.id === 1) {
          if (frame.error) reject(new Error(JSON.stringify(frame.error)));
          else resolve(subscriber);
        } else if (frame.event && frame.seq !== undefined) {
          subscriber.seqs.push(frame.seq);
          subscriber.last = frame.data?.name ?? '';
          heard(subscriber.last);
        }
        return;
      }
      if (frame.type === 'connection_ack') {
        socket.send(
          JSON.stringify({
            id: '1',
            type: 'subscribe',
            payload: {
              query: 'subscription { events(topics: ["authors"]) { seq data } }',
            },
          }),
        );
        // graphql-ws does not acknowledge a subscribe: the warm-up writes show it is live.
        resolve(subscriber);
      } else if (frame.type === 'next') {
        const event = frame.payload?.data?.events;
        if (event) {
          subscriber.seqs.push(event.seq);
          subscriber.last = event.data.name ?? '';
          heard(subscriber.last);
        }
      } else if (frame.type === 'error') {
        reject(new Error(JSON.stringify(frame.payload)));
      }
    });
  });
}

interface Row {
  protocol: Protocol;
  instances: number;
  subscribers: number;
  writes: number;
  p50: number;
  p99: number;
  perSecond: number;
  cpuPerEventPer1000: number;
  rssPer1000: number;
  lost: number;
}

async function measure(
  protocol: Protocol,
  instances: number,
  subscribers: number,
  url: string,
): Promise<Row> {
  const env = {
    DATABASE_URL: url,
    API_KEYS: 'fan-out-key',
    LOG_LEVEL: 'info',
    RATE_LIMIT_READS: '1000000000',
    RATE_LIMIT_WRITES: '1000000000',
    WS_MAX_CONNECTIONS: '100000',
    GRAPHQL_WS_MAX_CONNECTIONS: '100000',
  };
  const services: RunningService[] = [];
  for (let i = 0; i < instances; i++)
    services.push(await startService(protocol, { env, keepLogs: false }));
  const pids = services.map((service) => service.process.pid ?? 0);
  const database = await openDatabase({ url, poolSize: 4 });
  const bookshop = new Bookshop({
    store: new DrizzleStore(database.db),
    clock: systemClock,
    ids: randomIds,
  });
  const latencies: number[] = [];
  const heard = (name: string) => {
    const started = Number(name.split(' ')[1]);
    if (Number.isFinite(started)) latencies.push(performance.now() - started);
  };
  const clients: Subscriber[] = [];
  try {
    const rssBefore = pids.reduce((sum, pid) => sum + rssMiB(pid), 0);
    // Connected in batches, spread over the instances.
    for (let i = 0; i < subscribers; i += 100) {
      const batch = Array.from({ length: Math.min(100, subscribers - i) }, (_, k) =>
        subscribe(protocol, services[(i + k) % instances]?.url ?? '', heard),
      );
      clients.push(...(await Promise.all(batch)));
    }
    // Warm-up: write until every subscriber has heard the same, latest write, so
    // that every subscription is live before the measured writes start.
    for (let round = 0; ; round++) {
      if (round === 100) throw new Error('the subscribers did not all become live');
      const name = `warm-up ${round}`;
      await bookshop.execute('authors.create', { name });
      const until = performance.now() + 2000;
      while (clients.some((client) => client.last !== name) && performance.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 20));
      if (clients.every((client) => client.last === name)) break;
    }
    for (const client of clients) client.seqs.length = 0;
    latencies.length = 0;
    const rssAfter = pids.reduce((sum, pid) => sum + rssMiB(pid), 0);
    const cpuBefore = pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
    const writes = RATE * SECONDS;
    const started = performance.now();
    for (let w = 0; w < writes; w++) {
      const due = started + (w * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await bookshop.execute('authors.create', { name: `write ${performance.now()}` });
    }
    // Every subscriber gets every write (or the run says how many it lost).
    const deadline = performance.now() + 30_000;
    while (clients.some((client) => client.seqs.length < writes) && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const elapsed = (performance.now() - started) / 1000;
    const cpu = pids.reduce((sum, pid) => sum + cpuMs(pid), 0) - cpuBefore;
    const delivered = clients.reduce((sum, client) => sum + client.seqs.length, 0);
    const lost = clients.reduce(
      (sum, client) =>
        sum +
        (writes - client.seqs.length) +
        client.seqs.filter((seq, k) => k > 0 && seq !== (client.seqs[k - 1] ?? 0) + 1).length,
      0,
    );
    const sorted = Float64Array.from(latencies).sort();
    return {
      protocol,
      instances,
      subscribers,
      writes,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      perSecond: delivered / elapsed,
      cpuPerEventPer1000: cpu / writes / (subscribers / 1000),
      rssPer1000: (rssAfter - rssBefore) / (subscribers / 1000),
      lost,
    };
  } finally {
    for (const client of clients) client.socket.terminate();
    await database.close();
    await Promise.all(services.map((service) => service.stop()));
  }
}

/** The charts docs/benchmarks.md shows, from a full run, beside the other benchmarks' charts. */
function writeCharts(rows: Row[]): void {
  const folder = join(__dirname, '../../../docs/benchmarks');
  mkdirSync(folder, { recursive: true });
  const label = (row: Row) =>
    `${row.protocol} ×${row.instances}, ${row.subscribers.toLocaleString('en')}`;
  const charts = {
    'fan-out-p50.svg': barChart(
      `Fan-out: write-to-subscriber p50 (${RATE} writes/s; protocol ×instances, subscribers)`,
      'ms',
      rows.map((row) => ({ label: label(row), value: row.p50 })),
    ),
    'fan-out-delivered.svg': barChart(
      'Fan-out: events delivered per second',
      'events/s',
      rows.map((row) => ({ label: label(row), value: row.perSecond })),
    ),
    'fan-out-cpu.svg': barChart(
      'Fan-out: service CPU per delivery (one event to one subscriber)',
      'µs',
      rows.map((row) => ({ label: label(row), value: row.cpuPerEventPer1000 })),
    ),
  };
  for (const [file, svg] of Object.entries(charts)) writeFileSync(join(folder, file), svg);
  console.log(`\nCharts written to ${folder}: ${Object.keys(charts).join(', ')}`);
}

async function main(): Promise<void> {
  const database = await benchDatabase('fan_out');
  try {
    const { url } = database;
    const migrating = await openDatabase({ url });
    await migrating.migrate();
    await migrating.close();
    const rows: Row[] = [];
    for (const protocol of PROTOCOLS)
      for (const instances of INSTANCES)
        for (const subscribers of SUBSCRIBERS) {
          const row = await measure(protocol, instances, subscribers, url);
          rows.push(row);
          console.log(JSON.stringify(row));
        }
    console.log(
      `\nFan-out: ${RATE} writes/s for ${SECONDS} s; latency from the start of a write to a subscriber\n`,
    );
    console.log(
      '| protocol | instances | subscribers | p50 ms | p99 ms | events/s delivered | CPU ms per event per 1,000 | RSS MiB per 1,000 | lost |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const row of rows)
      console.log(
        `| ${row.protocol} | ${row.instances} | ${row.subscribers} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.perSecond.toFixed(0)} | ${row.cpuPerEventPer1000.toFixed(2)} | ${row.rssPer1000.toFixed(1)} | ${row.lost} |`,
      );
    if (!quick) writeCharts(rows);
    const lost = rows.reduce((sum, row) => sum + row.lost, 0);
    if (lost > 0) throw new Error(`${lost} events were lost or out of order`);
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
