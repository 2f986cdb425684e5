import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The launcher `npm start` runs, as `nx build system` leaves it. */
const LAUNCHER = join(__dirname, '../../../dist/tools/system/main.js');

/** The five services and the explorer on the embedded database, as `npm start` runs them. */
export interface RunningSystem {
  process: ChildProcess;
  /** Every line the launcher printed, its services' lines prefixed with their names. */
  lines: string[];
  readyAfterMs: number;
  /** Stops it as Ctrl-C does; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs `npm start`'s launcher with every port moved by `offset` (so that
 * suites and a developer's own `npm start` do not meet) and waits for "all
 * five ready".
 */
export async function startSystem(
  offset: number,
  env: Record<string, string> = {},
): Promise<RunningSystem> {
  const started = performance.now();
  const child = spawn(process.execPath, [LAUNCHER], {
    env: { ...process.env, SYSTEM_PORT_OFFSET: String(offset), LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr])
    createInterface({ input: stream }).on('line', (line) => lines.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 90_000;
  while (!lines.some((line) => line.includes('all five ready'))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.exitCode === null) child.kill('SIGKILL');
      throw new Error(`the system did not start:\n${lines.slice(-30).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    process: child,
    lines,
    readyAfterMs: performance.now() - started,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}
