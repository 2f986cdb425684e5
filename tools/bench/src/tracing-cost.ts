/**
 * Tracing's cost, measured closely: REST `books.get` on instances of one
 * build that differ only in their `OTEL_*` settings, against the same build
 * with tracing off, and a second instance with tracing off as the control
 * (what the method reads when there is no difference at all).
 *
 *   nx run bench:tracing-cost                       3 rounds of four pairs, 15 s per instance
 *   nx run bench:tracing-cost --args="--rounds 5 --seconds 30 --slice 0.5"
 *   nx run bench:tracing-cost --args=--quick         smoke run; fails on any error
 *
 * The full benchmark measures the same claim among every other target, with
 * thirteen processes on the machine's cores, where one repeat's ratio moves
 * by a fifth. Here each configuration is compared with the reference alone,
 * as a fresh pair of processes started together (so neither has sat idle
 * longer than the other), on one CPU (the last) where nothing else of ours
 * runs: this process, which makes the load, is held to the others. The two
 * take turns in short slices, in one order and then the reverse, so the pair
 * is measured over the same seconds; a round's ratio is the configuration's
 * operations (or CPU per operation) over the reference's in that pair.
 *
 * Postgres comes from DATABASE_URL, else a container (POSTGRES_IMAGE); it is
 * not pinned, so its work lands on either CPU.
 */
import { cpus } from 'node:os';
import { type RunningService, startService } from '@bookshop/testing';
import { benchDatabase } from './database';
import { otlpSink, seed, serviceEnv } from './fixtures';
import { compareRounds, pinToCpus, type Round, takeTurns } from './measure';
import { type Driver, TARGETS } from './targets';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const option = (name: string, fallback: number) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? Number(argv[index + 1]) : fallback;
};
/** Measured seconds per instance per round. */
const SECONDS = option('seconds', quick ? 1 : 15);
const ROUNDS = option('rounds', quick ? 1 : 3);
/** Seconds of one instance's turn. */
const SLICE = option('slice', quick ? 0.25 : 0.5);
const WARM_UP = option('warm-up', quick ? 0.5 : 6);
const CONNECTIONS = option('connections', 10);

const REFERENCE = 'untraced';
const API_KEY = 'bench-key';

/** The instances: a name, and the settings on top of the benchmark's. */
function variants(sink: string): [string, Record<string, string>][] {
  return [
    [REFERENCE, {}],
    ['untraced, again (control)', {}],
    // The SDK, the request hooks, the `pg` instrumentation and the log fields, no span kept.
    [
      'nothing kept',
      { OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_TRACES_SAMPLER: 'parentbased_always_off' },
    ],
    [
      'one trace in ten',
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: sink,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      },
    ],
    ['every request', { OTEL_EXPORTER_OTLP_ENDPOINT: sink }],
  ];
}

const fixed = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toFixed(digits) : '–';

/** The load's CPUs: every one but the last, which the instances get (none on a machine of one). */
function loadCpus(): number[] {
  return Array.from({ length: cpus().length - 1 }, (_, cpu) => cpu);
}

async function main(): Promise<void> {
  const database = await benchDatabase('tracing');
  const sink = await otlpSink();
  let errors = 0;
  let exported = 0;
  try {
    console.log('Seeding 50 authors and 1000 books…');
    const data = { ...(await seed(database.url)), etags: new Map(), apiKey: API_KEY };
    const rest = TARGETS.find((target) => target.name === 'rest untraced')!;
    const [reference, ...others] = variants(sink.url);
    const forLoad = loadCpus();
    let pinned = forLoad.length > 0 && pinToCpus(process.pid, forLoad);
    console.log(
      pinned
        ? `Instances on CPU ${forLoad.length}, the load on CPU ${forLoad.length > 1 ? `0–${forLoad.length - 1}` : '0'}.`
        : 'Not pinned (one CPU, or no taskset): the instances and the load share every CPU.',
    );
    const rounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of others) {
        // A fresh pair each time, started together: neither has sat idle longer than the other.
        const pair: [string, RunningService, Driver][] = [];
        try {
          for (const [name, settings] of round % 2 === 0
            ? [reference!, variant]
            : [variant, reference!]) {
            const service = await startService('rest', {
              env: { ...serviceEnv(database.url, API_KEY), ...settings },
              keepLogs: false,
            });
            pair.push([name, service, rest.driver(service.url, data, CONNECTIONS)]);
            if (pinned) pinned = pinToCpus(service.process.pid!, [forLoad.length]);
          }
          const runs = await takeTurns(
            pair.map(([name, service, driver]) => ({
              key: name,
              pid: service.process.pid!,
              op: driver.ops['books.get']!,
            })),
            { warmUp: WARM_UP, seconds: SECONDS, slice: SLICE, connections: CONNECTIONS },
          );
          for (const [name, run] of runs) {
            if (run.errors === 0) continue;
            errors += run.errors;
            console.error(`${name}: ${run.errors} errors (${run.firstError})`);
          }
          rounds.push(runs);
          console.log(
            `round ${round + 1}: ` +
              [...runs]
                .map(
                  ([name, run]) =>
                    `${name} ${fixed(run.ops / SECONDS, 0)} ops/s ${fixed(run.cpuMs / run.ops, 3)} CPU ms/op`,
                )
                .join('; '),
          );
        } finally {
          for (const [, service, driver] of pair) {
            await driver.close();
            await service.stop();
          }
        }
      }
    }

    console.log(
      `\nREST books.get, ${ROUNDS} round(s); in each, every instance against \`${REFERENCE}\` (a fresh pair), the two taking ${SLICE} s turns for ${SECONDS} s each (after ${WARM_UP} s each unmeasured), ${CONNECTIONS} connections${pinned ? ', the pair on one CPU' : ''}:\n`,
    );
    console.log(
      '| instance | throughput × untraced | CPU per op × untraced | per round (throughput) |',
    );
    console.log('|---|---:|---:|---|');
    for (const row of compareRounds(rounds, REFERENCE))
      console.log(
        `| ${row.variant} | ${fixed(row.medianThroughput, 3)}× | ${fixed(row.medianCpuRatio, 3)}× | ${row.throughput.map((r) => fixed(r, 2)).join(', ')} |`,
      );
  } finally {
    // Stopping flushed the last spans: none would mean the traced instances traced nothing.
    exported = await sink.exports();
    await sink.close();
    await database.stop();
  }
  if (exported === 0) throw new Error('the traced instances exported no spans');
  if (errors > 0) throw new Error(`${errors} requests failed`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
