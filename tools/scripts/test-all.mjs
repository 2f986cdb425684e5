#!/usr/bin/env node
// `npm test`: every check CI holds the project to, for every project — format,
// lint, typecheck, the migrations check, unit, integration and e2e tests — then one
// closing line "N passed, N failed" summed over every test run. A check that
// fails, or a test run that crashes before reporting, counts as one failure.
// In CI (CI set) every task runs; locally, Nx replays the cached checks and
// unit tests of unchanged projects (integration and e2e tests always run).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const results = join(root, 'tmp/test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' };
const failedTasks = new Set();
const MINUTE = 60_000;

/**
 * One `nx run-many`, its output passed on as it comes (a task that hangs shows
 * where), within a time budget: past it, the whole process group is stopped and
 * the phase counts as failed, so a hang turns red instead of running on.
 */
function nx(targets, { parallel, budgetMinutes, outputStyle }) {
  const args = [
    'nx',
    'run-many',
    '-t',
    ...targets,
    ...(process.env.CI ? ['--skip-nx-cache'] : []),
    '--nxBail=false',
    `--parallel=${parallel}`,
    `--outputStyle=${outputStyle}`,
  ];
  const phase = `nx run-many -t ${targets.join(' ')}`;
  console.log(`\n$ npx ${args.join(' ')}   # budget ${budgetMinutes} min`);
  return new Promise((resolve) => {
    // Its own process group, so the budget stops Nx and every task it started.
    const run = spawn('npx', args, {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    // Nx lists the failed tasks in its summary, on either stream; only the tail is kept.
    let tail = '';
    const keep = (chunk) => {
      tail = (tail + chunk.toString()).slice(-64 * 1024);
    };
    run.stdout.on('data', (chunk) => (process.stdout.write(chunk), keep(chunk)));
    run.stderr.on('data', (chunk) => (process.stderr.write(chunk), keep(chunk)));
    let overBudget = false;
    const stopGroup = (signal) => {
      try {
        process.kill(-run.pid, signal);
      } catch {
        // already gone
      }
    };
    const budget = setTimeout(() => {
      overBudget = true;
      console.error(`\n[test] ${phase} ran past its budget of ${budgetMinutes} min: stopping it`);
      stopGroup('SIGTERM');
      setTimeout(() => stopGroup('SIGKILL'), 15_000).unref();
    }, budgetMinutes * MINUTE);
    run.on('close', (status) => {
      clearTimeout(budget);
      stopGroup('SIGKILL'); // anything a task left behind in the group
      const listed = tail.split('Failed tasks:')[1] ?? '';
      for (const match of listed.matchAll(/^\s*- (\S+:\S+)/gm)) failedTasks.add(match[1]);
      if (overBudget) failedTasks.add(`${phase} (over its ${budgetMinutes} min budget)`);
      else if (status !== 0 && !listed) failedTasks.add(phase);
      resolve();
    });
  });
}

console.log('\n$ npx prettier --check .');
const format = spawnSync('npx', ['prettier', '--check', '.'], { cwd: root, env, stdio: 'inherit' });
if (format.status !== 0) failedTasks.add('prettier --check');

// The checks and unit tests print each task whole when it ends; the long phase
// streams, each line prefixed with its task.
await nx(['lint', 'typecheck', 'migrations-check'], {
  parallel: 2,
  budgetMinutes: 12,
  outputStyle: 'static',
});
await nx(['test'], { parallel: 2, budgetMinutes: 6, outputStyle: 'static' });
// Integration and end-to-end suites, then the service images: the conformance
// table against two replicas of each behind the gateway (the single-replica run,
// `e2e-containers`, is the same table on the same images, so CI spends its time
// on this one) and the compose file. One run, so each service is built once;
// builds and images two at a time, while every suite runs alone (their targets
// say `parallelism: false`), so its timings are its own.
await nx(['int-test', 'e2e', 'e2e-gateway', 'e2e-compose'], {
  parallel: 2,
  budgetMinutes: 45,
  outputStyle: 'stream',
});

let passed = 0;
let failed = 0;
const reported = new Set();
for (const file of existsSync(results) ? readdirSync(results) : []) {
  const run = JSON.parse(readFileSync(join(results, file), 'utf8'));
  passed += run.passed;
  failed += run.failed;
  if (run.task) reported.add(run.task);
}
const unreported = [...failedTasks].filter((task) => !reported.has(task));
failed += unreported.length;

console.log('');
if (failedTasks.size > 0) console.log(`Failed: ${[...failedTasks].join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || failedTasks.size > 0 ? 1 : 0);
