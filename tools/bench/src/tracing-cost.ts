/**
 * Tracing's cost, measured closely: REST `books.get` on instances of one
 * build that differ only in their `OTEL_*` settings, against the same build
 * with tracing off, and a second instance with tracing off as the control
 * (what the method reads when there is no difference at all).
 *
 *   nx run bench:tracing-cost                       3 rounds of four pairs, 15 s per instance
 *   nx run bench:tracing-cost --args="--rounds 5 --seconds 30 --slice 0.5"
 *   nx run bench:tracing-cost --args="--ratios 0.001,0.01,0.1"   one instance per sampling ratio
 *   nx run bench:tracing-cost --args=--quick         smoke run; fails on any error
 *   nx run bench:tracing-cost --args=--instructions  instructions per request, counted (Valgrind)
 *   nx run bench:tracing-cost --args="--instructions --dumps tmp/counts"   and keep callgrind's dumps
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
 * With `--instructions`, nothing is timed: each instance runs on its own
 * under Valgrind's callgrind (instructions.ts) and its instructions per
 * request are counted over a stretch of load, each configuration in several
 * fresh processes (`--processes`, 3), whose spread is the method's own. A
 * count is not moved by the machine's other work as seconds are, once what
 * the process does by the clock comes alike in every count (the settings in
 * `countedProcesses`); it weighs every instruction alike, where a cache miss
 * costs more than a hundred of them. What the slowdown (and the fixed
 * collection schedule) still move is when V8 compiles, and so, now and then,
 * what it compiles: a process whose `process.nextTick` came out with a call
 * into V8's runtime counts up to 7 % more, which each process's line and the
 * table show (RUNTIME_LITERAL_KEY).
 *
 * Postgres comes from DATABASE_URL, else a container (POSTGRES_IMAGE); it is
 * not pinned, so its work lands on either CPU.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningService, startService } from '@bookshop/testing';
import { benchDatabase } from './database';
import { otlpSink, seed, serviceEnv } from './fixtures';
import {
  callgrindAvailable,
  callgrindLauncher,
  callsInto,
  countInstructions,
} from './instructions';
import { compareRounds, load, medianOf, pinToCpus, type Round, takeTurns } from './measure';
import { type Driver, type SeededData, TARGETS } from './targets';
import {
  EVERY_REQUEST,
  parseRatios,
  REFERENCE,
  tracingVariants,
  type Variant,
} from './tracing-variants';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const counted = argv.includes('--instructions');
/** The word after `--name` on the command line, if there is one. */
const argument = (name: string): string | undefined => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
};
const option = (name: string, fallback: number) =>
  argv.includes(`--${name}`) ? Number(argument(name)) : fallback;
// Under callgrind a request takes some 20 times as long, counting or not, so
// its stretches are longer: about 4000 requests unmeasured, then 3000 counted.
/** Measured seconds per instance per round. */
const SECONDS = option('seconds', counted ? (quick ? 3 : 60) : quick ? 1 : 15);
const ROUNDS = option('rounds', quick ? 1 : 3);
/** Seconds of one instance's turn. */
const SLICE = option('slice', quick ? 0.25 : 0.5);
const WARM_UP = option('warm-up', counted ? (quick ? 3 : 30) : quick ? 0.5 : 6);
const CONNECTIONS = option('connections', 10);
/** Fresh processes per configuration, counting instructions. */
const PROCESSES = option('processes', quick ? 1 : 3);
/** The sampling ratios to compare, each an instance of its own (one in ten by default). */
const RATIOS = argv.includes('--ratios') ? parseRatios(argument('ratios') ?? '') : [0.1];
/** Where to keep callgrind's dumps (by default they go with the run). */
const dumps = argument('dumps');

/**
 * V8's runtime function for a key of an object literal that optimised code
 * did not define itself. Its calls per request tell a counted process whose
 * `process.nextTick` was compiled with one per tick (36 a request, some 50 k
 * instructions) from one compiled without: which a process gets varies from
 * start to start under callgrind, in every configuration alike, and never at
 * full speed with V8's own settings (docs/benchmarks.md, "Counted in
 * instructions").
 */
const RUNTIME_LITERAL_KEY = 'Runtime_DefineKeyedOwnPropertyInLiteral';
const API_KEY = 'bench-key';

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
    const [reference, control, ...others] = tracingVariants(sink.url, RATIOS);
    errors = counted
      ? await countedProcesses(database.url, data, [reference!, ...others])
      : await timedPairs(database.url, data, reference!, [control!, ...others]);
  } finally {
    // Stopping flushed the last spans: none would mean the traced instances traced nothing.
    exported = await sink.exports();
    await sink.close();
    await database.stop();
  }
  if (exported === 0) throw new Error('the traced instances exported no spans');
  if (errors > 0) throw new Error(`${errors} requests failed`);
}

const rest = () => TARGETS.find((target) => target.name === 'rest untraced')!;

/** Each of `others` against `reference`, as fresh pairs taking turns on one CPU; the requests that failed. */
async function timedPairs(
  databaseUrl: string,
  data: SeededData,
  reference: Variant,
  others: Variant[],
): Promise<number> {
  let errors = 0;
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
          ? [reference, variant]
          : [variant, reference]) {
          const service = await startService('rest', {
            env: { ...serviceEnv(databaseUrl, API_KEY), ...settings },
            keepLogs: false,
          });
          pair.push([name, service, rest().driver(service.url, data, CONNECTIONS)]);
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
  return errors;
}

/**
 * Every configuration in PROCESSES fresh processes, one at a time, each
 * under callgrind: WARM_UP seconds of load uncounted, then SECONDS counted.
 * Returns the requests that failed.
 */
async function countedProcesses(
  databaseUrl: string,
  data: SeededData,
  all: Variant[],
): Promise<number> {
  if (!callgrindAvailable()) {
    throw new Error(
      '--instructions needs Valgrind (valgrind and callgrind_control; Debian: valgrind)',
    );
  }
  // The smoke run counts two: untraced, and every request traced, whose spans are sure to be exported.
  if (quick) all = all.filter(([name]) => name === REFERENCE || name === EVERY_REQUEST);
  const dir = dumps ?? mkdtempSync(join(tmpdir(), 'bookshop-callgrind-'));
  if (dumps) mkdirSync(dumps, { recursive: true });
  /** Each configuration's processes: instructions and runtime-defined literal keys, per request. */
  const counts = new Map<string, { instructions: number; literalKeys: number }[]>(
    all.map(([name]) => [name, []]),
  );
  let errors = 0;
  try {
    for (let round = 0; round < PROCESSES; round++) {
      for (const [name, settings] of round % 2 === 0 ? all : [...all].reverse()) {
        const traced = Object.keys(settings).length > 0;
        const service = await startService('rest', {
          env: {
            ...serviceEnv(databaseUrl, API_KEY),
            ...settings,
            // At full speed the span queue fills to a batch (512) long before the
            // 5 s timer; under callgrind, 20 times slower, the timer would fire
            // first, with exports ten times as many per request. Batches, then, as at full speed.
            ...(traced ? { OTEL_BSP_SCHEDULE_DELAY: '3600000' } : {}),
            // Opening a Postgres connection (SCRAM's PBKDF2) takes seconds under
            // callgrind: the 5 s deadline would fail requests the service would serve.
            DATABASE_TIMEOUT_MS: '60000',
          },
          launcher: callgrindLauncher(dir),
          // V8 sizes its heap, and runs its memory reducer, from speeds and a
          // timer it measures in time, which callgrind stretches, and stretches
          // more when the machine is busy: full collections cost 4 k
          // instructions per request in one count and 263 k in the next. A
          // fixed schedule makes them come alike in every count.
          nodeArgs: ['--predictable-gc-schedule'],
          keepLogs: false,
          timeoutMs: 180_000,
        });
        const driver = rest().driver(service.url, data, CONNECTIONS);
        try {
          const op = driver.ops['books.get']!;
          const warm = await load(op, CONNECTIONS, WARM_UP);
          // startService runs a service with HOST=127.0.0.1, which names its vgdb pipe.
          const { instructions, dump, result } = await countInstructions(
            service.process.pid!,
            dir,
            { HOST: '127.0.0.1' },
            () => load(op, CONNECTIONS, SECONDS),
          );
          for (const run of [warm, result]) {
            if (run.errors === 0) continue;
            errors += run.errors;
            console.error(`${name}: ${run.errors} errors (${run.firstError})`);
          }
          const perRequest = instructions / result.ops;
          const literalKeys = callsInto(dump, RUNTIME_LITERAL_KEY) / result.ops;
          counts.get(name)!.push({ instructions: perRequest, literalKeys });
          console.log(
            `${name}, process ${round + 1}: ${result.ops} requests counted (after ${warm.ops}), ${fixed(perRequest / 1000, 1)} k instructions each, ${fixed(literalKeys, 1)} literal keys defined by V8's runtime`,
          );
        } finally {
          await driver.close();
          await service.stop();
        }
      }
    }
  } finally {
    if (!dumps) rmSync(dir, { recursive: true, force: true });
  }
  if (dumps)
    console.log(
      `\nThe counts, function by function: callgrind_annotate ${dumps}/callgrind.<pid>.1`,
    );

  const medians = new Map(
    [...counts].map(([name, processes]) => [name, medianOf(processes.map((p) => p.instructions))]),
  );
  const base = medians.get(REFERENCE)!;
  console.log(
    `\nREST books.get under callgrind, ${PROCESSES} process(es) per instance, each ${WARM_UP} s of load uncounted and then ${SECONDS} s counted, ${CONNECTIONS} connections:\n`,
  );
  console.log(
    "| instance | instructions per request (median) | × untraced | each process | literal keys by V8's runtime per request, each process |",
  );
  console.log('|---|---:|---:|---|---|');
  for (const [name, processes] of counts)
    console.log(
      `| ${name} | ${fixed(medians.get(name)! / 1000, 1)} k | ${fixed(medians.get(name)! / base, 3)}× | ${processes.map((p) => `${fixed(p.instructions / 1000, 1)} k`).join(', ')} | ${processes.map((p) => fixed(p.literalKeys, 1)).join(', ')} |`,
    );
  return errors;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
