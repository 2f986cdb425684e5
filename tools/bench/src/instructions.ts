/**
 * Counting the instructions a process runs over a stretch of its work, with
 * Valgrind's callgrind: a count that whatever else the machine is doing
 * does not move as it moves seconds and CPU time, though what the process
 * does by the clock (timers, a runtime's heuristics) still can: callgrind
 * slows it some twentyfold. The process runs under
 * callgrind with counting off (`--instr-atstart=no`, several times faster than
 * counting), and `callgrind_control` (Valgrind's own, through `vgdb`) turns it
 * on for the stretch and writes the count out.
 *
 * What it counts is every thread of the process (the main thread, the
 * compiler's and the garbage collector's): the CPU work a request costs, not
 * the time it takes, and nothing of another process (the database's, the
 * load's).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** True when `valgrind` and `callgrind_control` can be run here. */
export function callgrindAvailable(): boolean {
  const runs = (command: string) =>
    spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
  return process.platform === 'linux' && runs('valgrind') && runs('callgrind_control');
}

/** What to start a process under (`StartServiceOptions.launcher`) so it can be counted, writing into `dir`. */
export function callgrindLauncher(dir: string): string[] {
  return [
    'valgrind',
    '--tool=callgrind',
    '--instr-atstart=no',
    `--callgrind-out-file=${join(dir, 'callgrind.%p')}`,
    // Quiet unless something is wrong: the service's own output stays readable.
    '--log-fd=2',
    '-q',
  ];
}

/** The count of the first event (`Ir`, instructions) in a callgrind dump. */
export function callgrindTotal(dump: string): number {
  const line = /^(?:summary|totals):\s+(\d+)/m.exec(dump);
  if (!line) throw new Error('no summary line in the callgrind dump');
  return Number(line[1]);
}

/**
 * How many calls a callgrind dump records into the functions whose names hold
 * `name` (a C++ function, say: JavaScript's are addresses). Callgrind names a
 * function once, `fn=(id) name` or `cfn=(id) name`, and by its id alone after;
 * each `calls=N …` line counts the calls into the `cfn=` before it.
 */
export function callsInto(dump: string, name: string): number {
  const names = new Map<string, string>();
  let callee = '';
  let calls = 0;
  for (const line of dump.split('\n')) {
    const named = /^c?fn=\((\d+)\)(?: (.*))?$/.exec(line);
    if (named) {
      if (named[2] !== undefined) names.set(named[1]!, named[2]);
      if (line.startsWith('cfn=')) callee = names.get(named[1]!) ?? '';
      continue;
    }
    if (line.startsWith('calls=') && callee.includes(name))
      calls += Number(line.slice(6).split(' ')[0]);
  }
  return calls;
}

/**
 * Runs `callgrind_control` against `pid`. Valgrind names the pipe `vgdb`
 * reaches a process by after the user and host in that process's
 * environment (LOGNAME or USER, HOST or HOSTNAME), so the control must see the
 * same: `env` is what the process was started with on top of this one's
 * (a service started by `startService` has HOST=127.0.0.1).
 */
function control(pid: number, env: Record<string, string>, ...args: string[]): void {
  const result = spawnSync('callgrind_control', [...args, String(pid)], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) {
    throw new Error(
      `callgrind_control ${args.join(' ')} ${pid} failed: ${(result.stderr || result.stdout || String(result.error)).trim()}`,
    );
  }
}

/**
 * The instructions process `pid` (started with `callgrindLauncher(dir)`) runs
 * while `work` does: counting is turned on, zeroed, `work` awaited, the count
 * written out and read (`dump`, the whole of it), and counting turned off again.
 */
export async function countInstructions<T>(
  pid: number,
  dir: string,
  env: Record<string, string>,
  work: () => Promise<T>,
): Promise<{ instructions: number; dump: string; result: T }> {
  const dumps = () =>
    new Set(readdirSync(dir).filter((name) => name.startsWith(`callgrind.${pid}.`)));
  const before = dumps();
  control(pid, env, '--instr=on');
  control(pid, env, '--zero');
  const result = await work();
  control(pid, env, '--dump');
  control(pid, env, '--instr=off');
  const written = [...dumps()].filter((name) => !before.has(name));
  if (written.length !== 1 || !existsSync(join(dir, written[0]!))) {
    throw new Error(
      `expected one new callgrind dump for ${pid} in ${dir}, found ${written.length}`,
    );
  }
  const dump = readFileSync(join(dir, written[0]!), 'utf8');
  return { instructions: callgrindTotal(dump), dump, result };
}
