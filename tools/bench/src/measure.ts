import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { slices } from './order';
import { type Op } from './targets';

export interface LoadResult {
  ops: number;
  errors: number;
  firstError?: string;
  seconds: number;
  /** Latencies in milliseconds, sorted. */
  latencies: Float64Array;
}

/**
 * A closed loop: `connections` workers each call `op` again as soon as the
 * previous call ended, for `seconds`. Every call's latency is kept.
 */
export async function load(op: Op, connections: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let counter = Math.floor(Math.random() * 1_000_000);
  const started = process.hrtime.bigint();
  const end = started + BigInt(Math.round(seconds * 1e9));
  const worker = async () => {
    while (process.hrtime.bigint() < end) {
      const i = counter++;
      const t0 = process.hrtime.bigint();
      try {
        await op(i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    ops: latencies.length,
    errors,
    firstError,
    seconds: elapsed,
    latencies: Float64Array.from(latencies).sort(),
  };
}

/** Runs of one target taken apart (the slices of an interleaved group) as one run. */
export function combined(runs: readonly LoadResult[]): LoadResult {
  const latencies = new Float64Array(runs.reduce((n, run) => n + run.latencies.length, 0));
  let offset = 0;
  for (const run of runs) {
    latencies.set(run.latencies, offset);
    offset += run.latencies.length;
  }
  return {
    ops: runs.reduce((n, run) => n + run.ops, 0),
    errors: runs.reduce((n, run) => n + run.errors, 0),
    firstError: runs.find((run) => run.firstError !== undefined)?.firstError,
    seconds: runs.reduce((n, run) => n + run.seconds, 0),
    latencies: latencies.sort(),
  };
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One member of `takeTurns`: the service's process and the call to load it with. */
export interface TurnTaker<K> {
  key: K;
  pid: number;
  op: Op;
}

/** One member's measured run in `takeTurns`: its slices summed, and its process's CPU over them. */
export interface TurnsRun extends LoadResult {
  cpuMs: number;
}

/**
 * Loads `members` in turns: slices of about `slice` seconds each, in their
 * order and then the reverse (`slices`), first unmeasured for `warmUp` seconds
 * each, then measured for `seconds` each, every member's slices summed; a
 * lone member gets one slice of each. Members taking turns are compared over
 * the same stretch of the machine's time.
 */
export async function takeTurns<K>(
  members: readonly TurnTaker<K>[],
  options: { warmUp: number; seconds: number; slice: number; connections: number },
): Promise<Map<K, TurnsRun>> {
  const count = (seconds: number) =>
    members.length === 1 ? 1 : Math.max(1, Math.round(seconds / options.slice));
  const warmSlices = count(options.warmUp);
  for (const turn of slices(members, warmSlices))
    for (const member of turn)
      await load(member.op, options.connections, options.warmUp / warmSlices);
  const parts = new Map<K, LoadResult[]>(members.map((member) => [member.key, []]));
  const cpu = new Map<K, number>(members.map((member) => [member.key, 0]));
  const measuredSlices = count(options.seconds);
  for (const turn of slices(members, measuredSlices)) {
    for (const member of turn) {
      const cpu0 = cpuMs(member.pid);
      const result = await load(member.op, options.connections, options.seconds / measuredSlices);
      cpu.set(member.key, cpu.get(member.key)! + cpuMs(member.pid) - cpu0);
      parts.get(member.key)!.push(result);
    }
  }
  const runs = new Map<K, TurnsRun>();
  for (const [key, results] of parts) runs.set(key, { ...combined(results), cpuMs: cpu.get(key)! });
  return runs;
}

/** CPU time (user + system) a process has used so far, in milliseconds (Linux /proc). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may hold spaces, start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** The process's peak resident set (VmHWM), in MiB. */
export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/**
 * Binds a running process and every thread it has (and so every thread it
 * starts later) to `cpus`, with util-linux's `taskset`. False when that
 * cannot be done here (no `taskset`, or not Linux): the caller runs unpinned.
 */
export function pinToCpus(pid: number, cpus: readonly number[]): boolean {
  if (process.platform !== 'linux' || cpus.length === 0) return false;
  const result = spawnSync(
    'taskset',
    ['--all-tasks', '--pid', '--cpu-list', cpus.join(','), String(pid)],
    {
      stdio: 'ignore',
    },
  );
  return result.status === 0;
}

/** One round of a comparison: each variant's operations and CPU milliseconds in it. */
export type Round = ReadonlyMap<string, { ops: number; cpuMs: number }>;

/** A variant against the reference: the median over rounds, and each round's. */
export interface Comparison {
  variant: string;
  /** Its operations ÷ the reference's, per round (the same seconds for both). */
  throughput: number[];
  /** Its CPU milliseconds per operation, per round. */
  cpuMsPerOp: number[];
  /** The reference's CPU milliseconds per operation, per round. */
  referenceCpuMsPerOp: number[];
  medianThroughput: number;
  /** Median of its CPU per operation ÷ the reference's, round by round. */
  medianCpuRatio: number;
}

/** The median of `values` (NaN for none). */
export const medianOf = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Every variant of `rounds` but `reference`, against it, round by round. */
export function compareRounds(rounds: readonly Round[], reference: string): Comparison[] {
  const variants = [...new Set(rounds.flatMap((round) => [...round.keys()]))].filter(
    (name) => name !== reference,
  );
  return variants.map((variant) => {
    const both = rounds.flatMap((round) => {
      const ours = round.get(variant);
      const theirs = round.get(reference);
      return ours && theirs && ours.ops > 0 && theirs.ops > 0 ? [{ ours, theirs }] : [];
    });
    const throughput = both.map(({ ours, theirs }) => ours.ops / theirs.ops);
    const cpuMsPerOp = both.map(({ ours }) => ours.cpuMs / ours.ops);
    const referenceCpuMsPerOp = both.map(({ theirs }) => theirs.cpuMs / theirs.ops);
    return {
      variant,
      throughput,
      cpuMsPerOp,
      referenceCpuMsPerOp,
      medianThroughput: medianOf(throughput),
      medianCpuRatio: medianOf(cpuMsPerOp.map((cpu, i) => cpu / referenceCpuMsPerOp[i]!)),
    };
  });
}
