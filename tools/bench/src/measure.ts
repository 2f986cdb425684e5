import { readFileSync } from 'node:fs';
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
