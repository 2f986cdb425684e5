import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

export interface RunningService {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  process: ChildProcess;
  /** Every structured log line the service wrote so far. */
  logs: Record<string, unknown>[];
  /** Sends SIGTERM and resolves with the exit code once the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Resolves with the first log line that matches, waiting for it: a line
 * about a request may reach the pipe after the response reached the test.
 */
export async function logLine(
  service: RunningService,
  matches: (entry: Record<string, unknown>) => boolean,
  timeoutMs = 5_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = service.logs.find(matches);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No log line matched within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface StartServiceOptions {
  /** Environment on top of the launcher's own (PORT=0, NODE_ENV=test). */
  env?: Record<string, string | undefined>;
  /** Give up waiting for the "listening" line after this long (default 30 s). */
  timeoutMs?: number;
  /** The script to run instead of `dist/apps/<name>/main.js`. */
  script?: string;
  /** Extra Node flags (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /**
   * A program to run Node under, with its own arguments (Valgrind's, say):
   * the process is then `<launcher…> node <nodeArgs…> <script>`, and its
   * pid is Node's, as such a program runs its guest in its own process.
   */
  launcher?: readonly string[];
  /** `false`: stop collecting log lines once the service listens (for load tests). Default true. */
  keepLogs?: boolean;
}

/** The workspace root: the nearest folder above this file (or its bundle) that holds nx.json. */
function workspaceRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

const ROOT = workspaceRoot();

/**
 * Starts a built service (`dist/apps/<name>/main.js`) as its own process on
 * port 0, and resolves once its structured log says where it listens.
 */
export function startService(
  name: string,
  options: StartServiceOptions = {},
): Promise<RunningService> {
  const main = options.script ?? join(ROOT, 'dist/apps', name, 'main.js');
  if (!existsSync(main)) {
    return Promise.reject(new Error(`${main} is missing: build it first (nx build ${name})`));
  }
  const [launcher, ...launcherArgs] = options.launcher ?? [];
  const nodeArgs = [...(options.nodeArgs ?? []), main];
  const child = spawn(
    launcher ?? process.execPath,
    launcher ? [...launcherArgs, process.execPath, ...nodeArgs] : nodeArgs,
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        // The tests read the log as JSON lines.
        LOG_FORMAT: 'json',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  return new Promise<RunningService>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${name} did not start within ${options.timeoutMs ?? 30_000} ms: ${stderr.join('')}`,
        ),
      );
    }, options.timeoutMs ?? 30_000);

    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (entry['event'] === 'listening' && typeof entry['url'] === 'string') {
        clearTimeout(timer);
        if (options.keepLogs === false) {
          // Drain without parsing: a reader that falls behind fills the pipe, and
          // a service that logs synchronously then waits on it.
          lines.close();
          child.stdout.resume();
        }
        resolve({
          url: entry['url'],
          process: child,
          logs,
          stop: async (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening: ${stderr.join('')}`));
    });
  });
}
