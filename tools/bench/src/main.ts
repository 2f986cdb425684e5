/**
 * The cross-protocol benchmark (docs/benchmarks.md).
 *
 *   nx run bench:run                 full run; rewrites docs/benchmarks.md and its charts
 *   nx run bench:run --args=--quick  smoke run: every target and workload once, briefly;
 *                                    fails on any error; writes tmp/bench only
 *
 * Options: --seconds N (per run, default 6), --repeats N (default 3),
 * --paired-repeats N (repeats of the interleaved tracing group, at least
 * --repeats; default 9), --connections N (default 10), --warm-up N (seconds of unmeasured load before
 * each run, default 5), --cpu-prof (profiles into tmp/bench/profiles),
 * --only books.get,mixed and --targets rest,soap (just these; the report then goes to
 * tmp/bench).
 * Postgres comes from DATABASE_URL, else a container (POSTGRES_IMAGE).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '@bookshop/persistence';
import { type RunningService, startCacheFront, startService } from '@bookshop/testing';
import { sql } from 'drizzle-orm';
import { WireRecorder } from '@bookshop/clients';
import { benchDatabase } from './database';
import { otlpSink, seed, serviceEnv } from './fixtures';
import { peakRssMiB, percentile, takeTurns, type TurnsRun } from './measure';
import { type Measurement, writeReport } from './report';
import { runGroups } from './order';
import {
  type Driver,
  type SeededData,
  type Target,
  TARGETS,
  type Workload,
  WORKLOADS,
} from './targets';

const API_KEY = 'bench-key';

interface Options {
  quick: boolean;
  seconds: number;
  repeats: number;
  /**
   * Repeats of the groups whose members are compared with each other (`pairedWith`):
   * their ratio decides a claim, and one repeat's ratio moves by a fifth here.
   */
  pairedRepeats: number;
  connections: number;
  /** Seconds of unmeasured load on a target before each of its runs. */
  warmUp: number;
  cpuProf: boolean;
  /** Only these workloads (for profiling one); the report is then not written to docs. */
  only?: string[];
  /** Only these targets (the baseline always runs: ratios need it). */
  targets?: string[];
}

function options(argv: string[]): Options {
  const value = (name: string, fallback: number) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? Number(argv[index + 1]) : fallback;
  };
  const quick = argv.includes('--quick');
  const list = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? (argv[index + 1] ?? '').split(',') : undefined;
  };
  const repeats = value('repeats', quick ? 1 : 3);
  return {
    quick,
    seconds: value('seconds', quick ? 1 : 6),
    repeats,
    pairedRepeats: Math.max(repeats, value('paired-repeats', quick ? 1 : 9)),
    connections: value('connections', 10),
    warmUp: value('warm-up', quick ? 0.2 : 5),
    cpuProf: argv.includes('--cpu-prof'),
    only: list('only'),
    targets: list('targets'),
  };
}

const ROOT = join(__dirname, '../../..');

async function replenish(url: string): Promise<void> {
  const database = await openDatabase({ url });
  await database.db.execute(sql`UPDATE books SET stock = 1000000`);
  await database.close();
}

async function etags(rest: RunningService, bookIds: string[]): Promise<Map<string, string>> {
  const tags = new Map<string, string>();
  for (const id of bookIds) {
    const response = await fetch(`${rest.url}/api/books/${id}`);
    tags.set(id, response.headers.get('etag')!);
  }
  return tags;
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const out = join(ROOT, 'tmp/bench');
  mkdirSync(join(out, 'profiles'), { recursive: true });

  const database = await benchDatabase('bench');
  const { url } = database;
  console.log('Seeding 50 authors and 1000 books…');
  const seeded = await seed(url);

  const env = serviceEnv(url, API_KEY);
  const nodeArgs = opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(out, 'profiles')}`] : [];
  const names = [
    'baseline',
    'rest',
    'rest cached',
    'rest untraced',
    'rest traced',
    'rest sampled',
    'soap',
    'graphql',
    'jsonrpc',
    'websocket',
  ] as const;
  const services = {} as Record<Target['service'], RunningService>;
  const sink = await otlpSink();
  // The REST build with tracing on: every request, and one trace in ten (and off, in
  // `rest untraced`, their reference).
  const tracing: Partial<Record<Target['service'], Record<string, string>>> = {
    'rest traced': { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url },
    'rest sampled': {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    },
  };
  for (const name of names) {
    services[name] = await startService(name, {
      env: {
        ...env,
        ...tracing[name],
        ...(name === 'rest cached'
          ? // Reachable from the cache's container through the host's bridge address.
            { REST_CACHE_MAX_AGE_SECONDS: '60', HOST: '0.0.0.0' }
          : {}),
      },
      keepLogs: false,
      nodeArgs,
      ...(name === 'baseline' ? { script: join(__dirname, 'baseline.js') } : {}),
      ...(tracing[name] || name === 'rest cached' || name === 'rest untraced'
        ? { script: join(ROOT, 'dist/apps/rest/main.js') }
        : {}),
    });
  }
  // `rest via cache`: the REST service that lets reads be reused for a minute, behind the
  // gateway's nginx; its calls go to the cache, its CPU is the service's.
  const cached = services['rest cached'];
  const cacheFront = await startCacheFront(cached.url);
  services['rest cached'] = { ...cached, url: cacheFront.url };

  const data: SeededData = {
    ...seeded,
    etags: new Map(),
    apiKey: API_KEY,
  };
  const measurements: Measurement[] = [];
  let failed = 0;
  try {
    // Bytes on the wire: a few sequential operations through a counting relay.
    const wire = new Map<string, { sent: number; received: number }>();
    for (const target of TARGETS) {
      if (target.revalidates) data.etags = await etags(services.rest, data.bookIds);
      // Counted, not recorded: bytes headers, framing and upgrades included.
      const counter = await WireRecorder.inFrontOf(services[target.service].url, 0);
      const driver = target.driver(counter.url, data, 1);
      for (const workload of target.workloads) {
        const op = driver.ops[workload]!;
        await op(0); // opens the connection, so its set-up is not counted
        counter.reset();
        const n = opts.quick ? 10 : 100;
        for (let i = 1; i <= n; i++) await op(i);
        wire.set(`${target.name}|${workload}`, {
          sent: counter.sent / n,
          received: counter.received / n,
        });
      }
      await driver.close();
      await counter.close();
    }

    const chosen = TARGETS.filter(
      (t) => !opts.targets || t.name === 'baseline' || opts.targets.includes(t.name),
    );
    const workloads = WORKLOADS.filter((w) => !opts.only || opts.only.includes(w));
    for (let repeat = 0; repeat < opts.pairedRepeats; repeat++) {
      // Past --repeats, only the groups of targets compared with each other run again.
      const extra = repeat >= opts.repeats;
      const groups = runGroups(chosen, repeat).filter((group) => !extra || group.length > 1);
      for (const workload of workloads) {
        if (!groups.some((group) => group.some((t) => t.workloads.includes(workload)))) continue;
        if (workload === 'orders.place' || workload === 'mixed') await replenish(url);
        // Interleaved, and in a different order on every repeat: drift on a noisy machine
        // spreads over every target instead of landing on one.
        for (const group of groups) {
          const members = group.filter((target) => target.workloads.includes(workload));
          if (members.length === 0) continue;
          const runs = await runGroup(members, workload, services, data, opts);
          for (const [target, run] of runs) {
            const pid = services[target.service].process.pid!;
            const bytes = wire.get(`${target.name}|${workload}`)!;
            const m: Measurement = {
              target: target.name,
              workload,
              repeat,
              opsPerSec: run.ops / run.seconds,
              p50: percentile(run.latencies, 50),
              p95: percentile(run.latencies, 95),
              p99: percentile(run.latencies, 99),
              errors: run.errors,
              cpuMsPerOp: run.ops ? run.cpuMs / run.ops : NaN,
              peakRssMiB: peakRssMiB(pid),
              requestBytes: bytes.sent,
              responseBytes: bytes.received,
            };
            measurements.push(m);
            if (run.errors > 0 || run.ops === 0) {
              failed++;
              console.error(`${target.name} ${workload}: ${run.errors} errors (${run.firstError})`);
            }
            console.log(
              `${workload.padEnd(13)} ${target.name.padEnd(10)} ${m.opsPerSec.toFixed(0).padStart(6)} ops/s  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms  ${m.cpuMsPerOp.toFixed(3)} CPU ms/op`,
            );
          }
        }
      }
    }
  } finally {
    await cacheFront.stop();
    await Promise.all(Object.values(services).map((service) => service.stop()));
    // Stopping flushes the last spans; none at all would mean the traced targets measured nothing.
    const exported = await sink.exports();
    console.log(`rest traced and sampled: ${exported} OTLP exports received`);
    await sink.close();
    await database.stop();
  }
  if ((await sink.exports()) === 0) throw new Error('rest traced exported no spans');

  writeFileSync(join(out, 'measurements.json'), JSON.stringify(measurements, null, 2));
  const report = writeReport(measurements, {
    quick: opts.quick,
    seconds: opts.seconds,
    repeats: opts.repeats,
    pairedRepeats: opts.pairedRepeats,
    connections: opts.connections,
    warmUp: opts.warmUp,
    folder: opts.quick || opts.only || opts.targets ? out : join(ROOT, 'docs'),
  });
  console.log(`\n${report}`);
  const cells = new Set(measurements.map((m) => `${m.target}|${m.workload}`)).size;
  // `npm test` sums these files into its closing line.
  if (opts.quick) mkdirSync(join(ROOT, 'tmp/test-results'), { recursive: true });
  if (opts.quick)
    writeFileSync(
      join(ROOT, 'tmp/test-results', `bench-${process.pid}.json`),
      JSON.stringify({ task: 'bench:e2e', passed: cells - failed, failed }),
    );
  if (failed > 0) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * Runs `workload` on a group of targets (`runGroups`): a group of one gets
 * `warmUp` seconds of unmeasured load, then `seconds` measured. The members
 * of a larger group take turns in slices of about a second (`takeTurns`),
 * first unmeasured for `warmUp`, then measured for `seconds` each; each
 * member's slices are summed. A ratio between members then compares them over
 * the same stretch of the machine's time, and none sits idle long enough to
 * need warming again.
 */
async function runGroup(
  members: Target[],
  workload: Workload,
  services: Record<Target['service'], RunningService>,
  data: SeededData,
  opts: Options,
): Promise<Map<Target, TurnsRun>> {
  const drivers = new Map<Target, Driver>();
  try {
    for (const target of members) {
      // Orders bump versions: a revalidation needs the ETags as they are now.
      if (target.revalidates) data.etags = await etags(services.rest, data.bookIds);
      drivers.set(target, target.driver(services[target.service].url, data, opts.connections));
    }
    // Unmeasured first: a service that sat idle through the other targets' runs
    // (its pool closed its idle connections) takes seconds under load to come
    // back to its steady state, a traced one longest.
    return await takeTurns(
      members.map((target) => ({
        key: target,
        pid: services[target.service].process.pid!,
        op: drivers.get(target)!.ops[workload]!,
      })),
      { warmUp: opts.warmUp, seconds: opts.seconds, slice: 1, connections: opts.connections },
    );
  } finally {
    for (const driver of drivers.values()) await driver.close();
  }
}
