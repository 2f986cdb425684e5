import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Workload, WORKLOADS } from './targets';

export interface Measurement {
  target: string;
  workload: Workload;
  repeat: number;
  opsPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  cpuMsPerOp: number;
  peakRssMiB: number;
  requestBytes: number;
  responseBytes: number;
}

interface ReportOptions {
  quick: boolean;
  seconds: number;
  repeats: number;
  /** Repeats of the interleaved group of targets compared with each other (tracing's). */
  pairedRepeats: number;
  connections: number;
  /** Seconds of unmeasured load on a target before each of its runs. */
  warmUp: number;
  /** Where benchmarks.md and benchmarks/*.svg go. */
  folder: string;
}

/** Everything from this line on in benchmarks.md is written by hand and survives a new run. */
/** `books.get` throughput against the baseline that each protocol is held to. */
const BOOKS_GET_FLOOR: Record<string, number> = {
  rest: 0.9,
  jsonrpc: 0.85,
  websocket: 0.95,
  graphql: 0.75,
  soap: 0.6,
};

const ANALYSIS = '<!-- analysis: kept across runs -->';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export interface Row {
  target: string;
  opsPerSec: number;
  /** Median over repeats of (this target's ops/s ÷ the baseline's in the same repeat). */
  ratio: number;
  p50: number;
  p95: number;
  p99: number;
  cpuMsPerOp: number;
  peakRssMiB: number;
  requestBytes: number;
  responseBytes: number;
}

/** One row per target for a workload: medians over repeats, and the ratio to the baseline. */
export function rows(measurements: Measurement[], workload: Workload): Row[] {
  const mine = measurements.filter((m) => m.workload === workload);
  const targets = [...new Set(mine.map((m) => m.target))];
  return targets.map((target) => {
    const runs = mine.filter((m) => m.target === target);
    const of = (key: keyof Measurement) => median(runs.map((run) => run[key] as number));
    return {
      target,
      opsPerSec: of('opsPerSec'),
      ratio: pairedRatio(measurements, workload, target, 'baseline'),
      p50: of('p50'),
      p95: of('p95'),
      p99: of('p99'),
      cpuMsPerOp: of('cpuMsPerOp'),
      peakRssMiB: Math.max(...runs.map((run) => run.peakRssMiB)),
      requestBytes: runs[0]!.requestBytes,
      responseBytes: runs[0]!.responseBytes,
    };
  });
}

/**
 * `target`'s throughput over `reference`'s within each repeat (the two ran
 * minutes apart at most; a paired target interleaved with it), in repeat order; NaN for a
 * repeat without the reference.
 */
export function repeatRatios(
  measurements: Measurement[],
  workload: Workload,
  target: string,
  reference: string,
): number[] {
  const mine = measurements.filter((m) => m.workload === workload);
  return mine
    .filter((m) => m.target === target)
    .map((run) => {
      const base = mine.find((m) => m.target === reference && m.repeat === run.repeat);
      return base ? run.opsPerSec / base.opsPerSec : NaN;
    });
}

/** `repeatRatios` of the repeats that ran both targets only. */
function ratiosWhereBothRan(
  measurements: Measurement[],
  workload: Workload,
  target: string,
  reference: string,
): number[] {
  return repeatRatios(measurements, workload, target, reference).filter(Number.isFinite);
}

/**
 * The median of `repeatRatios` over the repeats that ran both: drift that
 * slows every target on one repeat cancels out.
 */
export function pairedRatio(
  measurements: Measurement[],
  workload: Workload,
  target: string,
  reference: string,
): number {
  const both = ratiosWhereBothRan(measurements, workload, target, reference);
  return both.length ? median(both) : NaN;
}

const fixed = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

/** A horizontal bar chart as plain SVG: one bar per label, the value printed at its end. */
export function barChart(title: string, unit: string, bars: { label: string; value: number }[]) {
  const width = 640;
  const left = Math.max(110, 16 + 7 * Math.max(...bars.map((b) => b.label.length)));
  const barHeight = 22;
  const top = 40;
  const height = top + bars.length * (barHeight + 8) + 20;
  const max = Math.max(...bars.map((b) => b.value), 1e-9);
  const scale = (width - left - 90) / max;
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = bars
    .map((bar, i) => {
      const y = top + i * (barHeight + 8);
      const w = Math.max(1, bar.value * scale);
      return (
        `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${escape(bar.label)}</text>` +
        `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${bar.label === 'baseline' ? '#9aa5b1' : '#3b82c4'}"/>` +
        `<text x="${(left + w + 6).toFixed(1)}" y="${y + 15}">${escape(fixed(bar.value, bar.value < 10 ? 2 : 0))} ${escape(unit)}</text>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<text x="10" y="22" font-size="15" font-weight="bold">${escape(title)}</text>${body}</svg>\n`
  );
}

function versions(): string {
  const root = join(__dirname, '../../..');
  const version = (name: string) => {
    try {
      return (
        JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
    } catch {
      return '?';
    }
  };
  const packages = ['@nestjs/core', 'fastify', '@apollo/server', 'soap', 'ws', 'undici', 'pg'];
  return packages.map((name) => `${name} ${version(name)}`).join(', ');
}

function postgresVersion(): string {
  return process.env['POSTGRES_IMAGE'] ?? 'postgres:17-alpine';
}

function machine(): string {
  const cpu = cpus();
  let os = process.platform;
  try {
    os = execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim() as typeof os;
  } catch {
    // keep the platform name
  }
  return `${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${os}, Node ${process.version}`;
}

/** Writes benchmarks.md and the charts into `folder`; returns the markdown. */
export function writeReport(measurements: Measurement[], options: ReportOptions): string {
  const charts = join(options.folder, 'benchmarks');
  mkdirSync(charts, { recursive: true });
  const byWorkload = Object.fromEntries(
    WORKLOADS.map((workload) => [workload, rows(measurements, workload)]),
  ) as Record<Workload, Row[]>;
  const find = (workload: Workload, target: string) =>
    byWorkload[workload].find((row) => row.target === target);

  const tables = WORKLOADS.map((workload) => {
    const slug = workload.replace('.', '-');
    writeFileSync(
      join(charts, `${slug}-throughput.svg`),
      barChart(
        `${workload}: operations per second (median of ${options.repeats})`,
        'ops/s',
        byWorkload[workload].map((row) => ({ label: row.target, value: row.opsPerSec })),
      ),
    );
    writeFileSync(
      join(charts, `${slug}-p99.svg`),
      barChart(
        `${workload}: p99 latency at ${options.connections} connections`,
        'ms',
        byWorkload[workload].map((row) => ({ label: row.target, value: row.p99 })),
      ),
    );
    const lines = byWorkload[workload].map(
      (r) =>
        `| ${r.target} | ${fixed(r.opsPerSec)} | ${fixed(r.ratio, 2)}× | ${fixed(r.p50, 2)} | ${fixed(r.p95, 2)} | ${fixed(r.p99, 2)} | ${fixed(r.requestBytes)} | ${fixed(r.responseBytes)} | ${fixed(r.cpuMsPerOp, 3)} | ${fixed(r.peakRssMiB)} |`,
    );
    return [
      `### ${workload}`,
      '',
      `![${workload} throughput](benchmarks/${slug}-throughput.svg)`,
      `![${workload} p99](benchmarks/${slug}-p99.svg)`,
      '',
      '| target | ops/s | × baseline | p50 ms | p95 ms | p99 ms | request B/op | response B/op | server CPU ms/op | peak RSS MiB |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...lines,
      '',
    ].join('\n');
  });

  const verdict = (ok: boolean | undefined) =>
    ok === undefined ? 'not measured' : ok ? 'confirmed' : 'refuted';
  const restGet = find('books.get', 'rest');
  const soapGet = find('books.get', 'soap');
  const wsGet = find('books.get', 'websocket');
  const rest304 = find('books.get', 'rest 304');
  const restTraced = find('books.get', 'rest traced');
  const restSampled = find('books.get', 'rest sampled');
  const restUntraced = find('books.get', 'rest untraced');
  /** Tracing's cost: each traced run over the same build's untraced run interleaved with it (`runGroups`). */
  const tracedRatio = pairedRatio(measurements, 'books.get', 'rest traced', 'rest untraced');
  const sampledRatio = pairedRatio(measurements, 'books.get', 'rest sampled', 'rest untraced');
  const restXml = find('books.get', 'rest xml');
  const restCached = find('books.get', 'rest via cache');
  /** The lowest and highest throughput of a target's repeats: how far one run is from another. */
  const spread = (workload: Workload, target: string) => {
    const runs = measurements
      .filter((m) => m.workload === workload && m.target === target)
      .map((m) => m.opsPerSec);
    return `${fixed(Math.min(...runs))}–${fixed(Math.max(...runs))}`;
  };
  /** Each repeat's ratio of one target to another, in repeat order (the repeats that ran both). */
  const perRepeat = (target: string, reference: string) =>
    ratiosWhereBothRan(measurements, 'books.get', target, reference)
      .map((ratio) => `${fixed(ratio, 2)}×`)
      .join(', ');
  const bytes = (row: { requestBytes: number; responseBytes: number }) =>
    row.requestBytes + row.responseBytes;
  const claims = [
    restGet && soapGet
      ? `- **SOAP messages are larger and slower than REST** — ${verdict(soapGet.requestBytes + soapGet.responseBytes > restGet.requestBytes + restGet.responseBytes && soapGet.opsPerSec < restGet.opsPerSec)}: \`books.get\` is ${fixed(soapGet.requestBytes + soapGet.responseBytes)} bytes on the wire through SOAP against ${fixed(restGet.requestBytes + restGet.responseBytes)} through REST, at ${fixed(soapGet.opsPerSec / restGet.opsPerSec, 2)}× REST's throughput (p50 ${fixed(soapGet.p50, 2)} ms against ${fixed(restGet.p50, 2)} ms).`
      : '',
    restGet && wsGet
      ? `- **WebSocket has lower per-message overhead and latency than REST for a stream of small requests** — ${verdict(wsGet.requestBytes + wsGet.responseBytes < restGet.requestBytes + restGet.responseBytes && wsGet.p50 < restGet.p50)}: ${fixed(wsGet.requestBytes + wsGet.responseBytes)} bytes per \`books.get\` against ${fixed(restGet.requestBytes + restGet.responseBytes)}, p50 ${fixed(wsGet.p50, 2)} ms against ${fixed(restGet.p50, 2)} ms, ${fixed(wsGet.opsPerSec / restGet.opsPerSec, 2)}× the throughput.`
      : '',
    restUntraced && restTraced
      ? `- **Tracing every request costs little** — ${verdict(tracedRatio >= 0.9)} (0.9× or better): REST \`books.get\` with every request traced and exported over OTLP runs at ${fixed(tracedRatio, 2)}× the throughput of the same build with tracing off (\`rest untraced\`: an instance run exactly like the traced ones; the median of each repeat's ratio, the two run interleaved in slices of about a second; per repeat ${perRepeat('rest traced', 'rest untraced')}; medians ${fixed(restTraced.opsPerSec)} against ${fixed(restUntraced.opsPerSec)} ops/s), at ${fixed(restTraced.cpuMsPerOp, 3)} against ${fixed(restUntraced.cpuMsPerOp, 3)} server CPU ms per request. Metrics are on in both.`
      : '',
    restUntraced && restSampled
      ? `- **Tracing as deployed (one trace in ten) costs little** — ${verdict(sampledRatio >= 0.9)} (target: 0.9× or better): with \`parentbased_traceidratio\` at 0.1 the same service runs at ${fixed(sampledRatio, 2)}× (measured the same way; per repeat ${perRepeat('rest sampled', 'rest untraced')}; median ${fixed(restSampled.opsPerSec)} ops/s), at ${fixed(restSampled.cpuMsPerOp, 3)} server CPU ms per request.${restGet ? ` Against plain \`rest\`, the instance that also serves \`rest 304\`, \`rest xml\` and \`rest include\` and so is seldom idle, it reads ${fixed(pairedRatio(measurements, 'books.get', 'rest sampled', 'rest'), 2)}× (per repeat ${perRepeat('rest sampled', 'rest')}): a service that sat idle through the other runs is slower for a while after its warm-up, traced or not, which that ratio counts as tracing's cost.` : ''}`
      : '',
    restGet && rest304
      ? `- **A REST \`304\` revalidation is cheaper than a full response** — ${verdict(rest304.responseBytes < restGet.responseBytes && rest304.cpuMsPerOp <= restGet.cpuMsPerOp)}: ${fixed(rest304.responseBytes)} response bytes against ${fixed(restGet.responseBytes)}, ${fixed(rest304.cpuMsPerOp, 3)} against ${fixed(restGet.cpuMsPerOp, 3)} server CPU ms per request, ${fixed(rest304.opsPerSec / restGet.opsPerSec, 2)}× the throughput. The service still reads the book to know its version, so the saving is the body, not the query.`
      : '',
    restGet && restXml && soapGet
      ? `- **SOAP is slower because it is XML** — ${verdict(restXml.opsPerSec <= 1.1 * soapGet.opsPerSec)} (confirmed only if REST in XML is no faster than SOAP): the same REST service answering \`books.get\` in XML (\`rest xml\`) puts ${fixed(bytes(restXml))} bytes on the wire against ${fixed(bytes(restGet))} in JSON and ${fixed(bytes(soapGet))} through SOAP, and runs at ${fixed(restXml.opsPerSec / soapGet.opsPerSec, 2)}× SOAP's throughput and ${fixed(restXml.opsPerSec / restGet.opsPerSec, 2)}× its own in JSON, at ${fixed(restXml.cpuMsPerOp, 3)} server CPU ms per request against SOAP's ${fixed(soapGet.cpuMsPerOp, 3)} and JSON's ${fixed(restGet.cpuMsPerOp, 3)} (REST in JSON's repeats ranged over ${spread('books.get', 'rest')} ops/s, XML's over ${spread('books.get', 'rest xml')}: a difference inside that is the machine's, not the format's). The format is a few bytes; what SOAP pays for is its envelope, its WSDL-driven stack and its faults.`
      : '',
    restGet && restCached && soapGet
      ? `- **REST is faster because it caches** — ${verdict(restCached.opsPerSec > restGet.opsPerSec && restCached.opsPerSec > soapGet.opsPerSec)}, when the service lets it: behind the gateway's nginx, with reads reusable for a minute (\`REST_CACHE_MAX_AGE_SECONDS=60\`), \`books.get\` runs at ${fixed(restCached.opsPerSec / restGet.opsPerSec, 2)}× REST's throughput straight from the service (${fixed(restCached.opsPerSec)} against ${fixed(restGet.opsPerSec)} ops/s, p50 ${fixed(restCached.p50, 2)} ms against ${fixed(restGet.p50, 2)} ms) and the service spends ${fixed(restCached.cpuMsPerOp, 3)} CPU ms per request (nginx's own CPU is not counted). The speed is the cache's, bought with staleness: a changed book may be served for up to a minute. With the default (\`no-cache\`) every reuse is revalidated, which costs what \`rest 304\` costs.`
      : '',
  ].filter(Boolean);

  const target = (label: string, ok: boolean | undefined, figure: string) =>
    `| ${label} | ${figure} | ${ok === undefined ? '–' : ok ? 'met' : '**missed**'} |`;
  const services = ['rest', 'soap', 'graphql', 'jsonrpc', 'websocket'];
  const targets = [
    ...services.map((name) => {
      const row = find('books.get', name);
      const floor = BOOKS_GET_FLOOR[name]!;
      return target(
        `${name} \`books.get\` ≥ ${floor}× baseline`,
        row && row.ratio >= floor,
        row ? `${fixed(row.ratio, 2)}×` : '–',
      );
    }),
    // A realistic mix should not hide a protocol behind its cheapest operation.
    ...services.map((name) => {
      const get = find('books.get', name);
      const mixed = find('mixed', name);
      return target(
        `${name} \`mixed\` ≥ its \`books.get\` (× baseline)`,
        get && mixed ? mixed.ratio >= get.ratio : undefined,
        get && mixed ? `${fixed(mixed.ratio, 2)}× against ${fixed(get.ratio, 2)}×` : '–',
      );
    }),
    (() => {
      const gql = find('books.list', 'graphql');
      const rest = find('books.list', 'rest');
      const ratio = gql && rest ? gql.opsPerSec / rest.opsPerSec : undefined;
      return target(
        'GraphQL `books.list` with authors ≥ 0.6× REST',
        ratio === undefined ? undefined : ratio >= 0.6,
        ratio === undefined ? '–' : `${fixed(ratio, 2)}×`,
      );
    })(),
    target(
      'rest sampled `books.get` ≥ 0.9× rest untraced',
      restUntraced && restSampled ? sampledRatio >= 0.9 : undefined,
      restUntraced && restSampled ? `${fixed(sampledRatio, 2)}×` : '–',
    ),
    ...WORKLOADS.flatMap((workload) =>
      byWorkload[workload].map((row) =>
        target(
          `p99 ≤ 3× p50, ${row.target} \`${workload}\``,
          row.p99 <= 3 * row.p50,
          `${fixed(row.p99 / row.p50, 2)}×`,
        ),
      ),
    ),
  ];

  const markdown = [
    '# Benchmarks',
    '',
    options.quick
      ? '_A quick smoke run: too short to quote._'
      : '_Generated by `npx nx run bench:run`; the numbers below are from one run on the machine named here._',
    '',
    'One workload, five protocols and a bare baseline: the same use cases behind a Fastify route with no Nest, no guard and no request log. Each service runs as its own process on one Postgres database with a fixed catalogue (50 authors, 1000 books, five authors per page of 20). Every target runs every workload with the same closed loop; the runs are interleaved and their order rotates on every repeat, so the drift of a shared, noisy machine spreads over all of them. **Ratios are the headline**: absolute numbers move with the machine.',
    '',
    `- Machine: ${machine()}; Postgres from \`${postgresVersion()}\` on the same machine.`,
    `- Versions: ${versions()}.`,
    `- Load: ${options.connections} connections, ${options.seconds} s per run, each after ${options.warmUp} s of unmeasured load on the same target, ${options.repeats} repeat(s)${options.pairedRepeats > options.repeats ? ` (the three tracing targets ${options.pairedRepeats}: a ratio between them decides a claim, and one repeat's ratio moves by a fifth or more on this machine, so its median needs more than three)` : ''}; medians shown. The warm-up matters: a service that sat idle through the other targets' runs (its pool closes idle database connections after 10 s) needs seconds under load to return to its steady state, and is slower than a busy one for a while after. So tracing is measured against \`rest untraced\`, the same build with tracing off on an instance with the traced ones' history (\`books.get\` only, idle through everything else), not against plain \`rest\`, which serves four targets. The three take turns in slices of about a second (warm-up included), in one order and then the reverse (untraced, traced, sampled; sampled, traced, untraced; …), each one's slices summed: a ratio between them compares two builds over the same seconds of the machine, not two moments a quarter of a minute apart. The load generator (undici, ws) shares the machine's cores with the services.`,
    `- Reproduce: \`npx nx run bench:run\` (\`--args="--seconds 6 --repeats 3 --paired-repeats 9 --connections 10"\`; \`--cpu-prof\` writes V8 profiles of every service to \`tmp/bench/profiles\`).`,
    '',
    'Workloads:',
    '- `books.get`: one book by id, ids rotating over the catalogue. `rest 304` is the same request with a matching `If-None-Match`; `rest xml` asks the same service for `application/xml`; `rest via cache` sends it through the gateway’s nginx to a REST instance whose reads may be reused for a minute (`REST_CACHE_MAX_AGE_SECONDS=60`); `rest untraced` is the same request to a REST instance of its own with tracing off, `rest traced` to one with tracing on (every request sampled, spans exported over OTLP to a local sink), `rest sampled` to one that keeps one trace in ten (`parentbased_traceidratio`, 0.1); the three run interleaved.',
    '- `books.list`: a page of 20 books with each book’s author, done the way each protocol does it. GraphQL asks for `author` in one query (batched by a DataLoader); REST, SOAP and WebSocket read the page and then each distinct author (five) in parallel (`rest include` asks REST for the page with its authors in one request, `include=author`); JSON-RPC reads the page and then sends one batch of five `authors.get`; the baseline returns both in one response.',
    '- `orders.place`: an order of three lines (stock replenished before each run).',
    '- `mixed`: in every ten operations, eight `books.get`, one `books.list`, one `orders.place`.',
    '',
    'Columns: request and response bytes are what one operation puts on the wire, headers, framing and (amortised) connection set-up included, counted by a TCP relay over 100 sequential operations; server CPU is the service process’s user + system time during the run divided by its operations; peak RSS is the process’s high-water mark.',
    '',
    '## Claims',
    '',
    ...claims,
    '',
    '## Targets',
    '',
    '| target | measured | |',
    '|---|---|---|',
    ...targets,
    '',
    '## Results',
    '',
    ...tables,
  ].join('\n');
  // What people wrote about a run (profiles, what is ours and what is a library's) is kept.
  const file = join(options.folder, 'benchmarks.md');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const analysis = previous.includes(ANALYSIS) ? previous.slice(previous.indexOf(ANALYSIS)) : '';
  writeFileSync(file, `${markdown}\n${analysis ? `\n${analysis.trimEnd()}\n` : ''}`);
  return markdown;
}
