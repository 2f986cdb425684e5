#!/usr/bin/env node
// `npm test`: every check CI holds the project to, for every project — format,
// lint, typecheck, the migrations check, unit, integration and e2e tests — then one
// closing line "N passed, N failed" summed over every test run. A check that
// fails, or a test run that crashes before reporting, counts as one failure.
// In CI (CI set) every task runs; locally, Nx replays the cached checks and
// unit tests of unchanged projects (integration and e2e tests always run).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const results = join(root, 'tmp/test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' };
const failedTasks = new Set();

function nx(targets, parallel) {
  const args = [
    'nx',
    'run-many',
    '-t',
    ...targets,
    ...(process.env.CI ? ['--skip-nx-cache'] : []),
    '--nxBail=false',
    `--parallel=${parallel}`,
    '--outputStyle=static',
  ];
  console.log(`\n$ npx ${args.join(' ')}`);
  const run = spawnSync('npx', args, {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
  });
  process.stdout.write(run.stdout ?? '');
  process.stderr.write(run.stderr ?? '');
  // Nx lists the failed tasks in its summary, on either stream.
  const listed = `${run.stdout ?? ''}\n${run.stderr ?? ''}`.split('Failed tasks:')[1] ?? '';
  for (const match of listed.matchAll(/^\s*- (\S+:\S+)/gm)) failedTasks.add(match[1]);
  if (run.status !== 0 && failedTasks.size === 0)
    failedTasks.add(`nx run-many -t ${targets.join(' ')}`);
}

console.log('\n$ npx prettier --check .');
const format = spawnSync('npx', ['prettier', '--check', '.'], { cwd: root, env, stdio: 'inherit' });
if (format.status !== 0) failedTasks.add('prettier --check');

nx(['lint', 'typecheck', 'migrations-check'], 2);
nx(['test'], 2);
nx(['int-test', 'e2e'], 1);
// The service images: the conformance table against two replicas of each behind
// the gateway (the single-replica run, `e2e-containers`, is the same table on
// the same images, so CI spends its time on this one), and the compose file.
nx(['e2e-gateway', 'e2e-compose'], 1);

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
