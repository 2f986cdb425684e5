#!/usr/bin/env node
// How long `nx serve <service>` takes from the command to the service
// answering /health/live, without the Nx cache, repeated and summarised:
//
//   node tools/scripts/serve-start-time.mjs rest [repeats=3]
//
// The serve target builds and watches; the first build is the cost a developer
// waits for after `git pull` or a branch switch.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
// The one table of ports (libs/domain/src/services.ts), read as text: this script runs no TypeScript.
const ports = Object.fromEntries(
  [
    ...readFileSync(join(root, 'libs/domain/src/services.ts'), 'utf8').matchAll(
      /^ {2}(\w+): (\d+),?$/gm,
    ),
  ].map(([, name, port]) => [name, Number(port)]),
);
const [service = 'rest', repeatsArg = '3'] = process.argv.slice(2);
const port = ports[service];
if (!port) {
  console.error(`unknown service ${service}; one of ${Object.keys(ports).join(', ')}`);
  process.exit(2);
}

async function answers() {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/live`);
    return response.ok;
  } catch {
    return false;
  }
}

async function once() {
  if (await answers()) throw new Error(`port ${port} is already serving; stop that service first`);
  const started = performance.now();
  const child = spawn('npx', ['nx', 'serve', service, '--skip-nx-cache', '--outputStyle=stream'], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const webpackRuns = () => (output.match(/webpack compiled/g) ?? []).length;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`nx serve exited:\n${output.slice(-2000)}`);
      if (await answers()) break;
      if (performance.now() - started > 180_000) throw new Error('no answer within 180 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { seconds: (performance.now() - started) / 1000, builds: webpackRuns() };
  } finally {
    process.kill(-child.pid, 'SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    while (await answers()) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const runs = [];
for (let i = 0; i < Number(repeatsArg); i++) {
  const run = await once();
  runs.push(run);
  console.log(
    `${service}: answered after ${run.seconds.toFixed(1)} s (${run.builds} webpack builds)`,
  );
}
const sorted = runs.map((run) => run.seconds).sort((a, b) => a - b);
console.log(
  `${service}: median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} s over ${runs.length} runs`,
);
