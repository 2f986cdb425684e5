import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { BookshopError } from '@bookshop/clients';
import { type RunningService } from '@bookshop/testing';

export const KEY = 'resilience-key';

/** The contract's default deadline (CONTRACT.md, "Errors": UNAVAILABLE) and what a reply may add to it. */
export const DEADLINE_MS = 5000;
export const REPLY_SLACK_MS = 500;

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A process's resident set size in bytes, from /proc. */
export function rssBytes(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0; // the process has ended
  }
  const line = status.split('\n').find((entry) => entry.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

export const MiB = 1024 * 1024;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET `url` with a deadline; the status, or 0 when it did not answer in time. */
export async function statusOf(url: string, timeoutMs: number): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** Milliseconds `/health/live` took to answer 200 (Infinity when it did not within `timeoutMs`). */
export async function liveLatency(service: RunningService, timeoutMs = 5000): Promise<number> {
  const started = performance.now();
  const status = await statusOf(`${service.url}/health/live`, timeoutMs);
  return status === 200 ? performance.now() - started : Number.POSITIVE_INFINITY;
}

/** Resolves with the time `check` first held, polling every `everyMs`; rejects after `timeoutMs`. */
export async function when(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs: number,
  everyMs = 100,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return performance.now();
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/**
 * Watches a hostile client's effect on a service: its RSS (the peak) and how
 * long `/health/live` takes (the slowest), sampled until `stop` is called.
 */
export function watchService(service: RunningService) {
  const pid = service.process.pid as number;
  const idle = rssBytes(pid);
  let peak = idle;
  let slowestLive = 0;
  let running = true;
  const sampling = (async () => {
    while (running) {
      peak = Math.max(peak, rssBytes(pid));
      slowestLive = Math.max(slowestLive, await liveLatency(service, 2000));
      peak = Math.max(peak, rssBytes(pid));
      await sleep(200);
    }
  })();
  let result: Promise<void> | undefined;
  return {
    stop: async () => {
      running = false;
      result ??= sampling;
      await result;
      return { idle, peak, growth: peak - idle, slowestLive };
    },
  };
}

/** One call's fate under load. */
export interface CallResult {
  protocol: string;
  ms: number;
  /** `ok`, the contract's code, or `transport` when no answer came at all. */
  outcome: string;
  orderId?: string;
}

/** Runs `call`, timing it and naming its outcome; an order's id is kept when `call` placed one. */
export async function measured(
  protocol: string,
  call: () => Promise<unknown>,
  places = false,
): Promise<CallResult> {
  const started = performance.now();
  try {
    const result = (await call()) as { id?: string } | undefined;
    const ms = performance.now() - started;
    return { protocol, ms, outcome: 'ok', ...(places ? { orderId: result?.id } : {}) };
  } catch (error) {
    return {
      protocol,
      ms: performance.now() - started,
      outcome: error instanceof BookshopError ? error.code : 'transport',
    };
  }
}

/** Prints one measured figure, so a run's log carries the numbers its assertions checked. */
export function report(what: string, figures: Record<string, number>): void {
  const text = Object.entries(figures)
    .map(([name, value]) => `${name}=${Number.isInteger(value) ? value : value.toFixed(1)}`)
    .join(' ');
  process.stdout.write(`[resilience] ${what}: ${text}\n`);
}
