import { readFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { type AddressInfo } from 'node:net';
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

/**
 * A TCP relay in front of a service that counts the bytes each way, headers,
 * framing and upgrades included: what an operation costs on the wire.
 */
export class WireCounter {
  private constructor(
    private readonly server: Server,
    private readonly counts: { sent: number; received: number },
    readonly url: string,
  ) {}

  static async inFrontOf(target: string): Promise<WireCounter> {
    const { hostname, port } = new URL(target);
    const counts = { sent: 0, received: 0 };
    const server = createServer((client) => {
      const upstream = createConnection({ host: hostname, port: Number(port) });
      client.on('data', (chunk: Buffer) => {
        counts.sent += chunk.length;
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        counts.received += chunk.length;
        client.write(chunk);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port: relay } = server.address() as AddressInfo;
    return new WireCounter(server, counts, `http://127.0.0.1:${relay}`);
  }

  /** Bytes the client sent since the last reset. */
  get sent(): number {
    return this.counts.sent;
  }

  /** Bytes the service sent since the last reset. */
  get received(): number {
    return this.counts.received;
  }

  reset(): void {
    this.counts.sent = 0;
    this.counts.received = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
