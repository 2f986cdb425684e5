// `npm start`: the five services together on one database, and the explorer
// that calls them side by side, in one terminal.
//
// Without DATABASE_URL, one embedded Postgres (PGlite, in memory or in
// PGLITE_DIR) is migrated and seeded here and served over the Postgres wire
// protocol on loopback; with DATABASE_URL, that database. Each service runs as
// its own process, as in production; their output is one stream, a prefix per
// service. Ctrl-C (or SIGTERM) stops them all gracefully, then the database.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_PORTS } from '@bookshop/domain';
import { startEmbeddedServer, type EmbeddedServer } from '@bookshop/persistence';

const SERVICES = [
  { name: 'rest', port: DEFAULT_PORTS.rest, at: 'http://localhost:PORT/api/docs' },
  { name: 'soap', port: DEFAULT_PORTS.soap, at: 'http://localhost:PORT/soap?wsdl' },
  { name: 'graphql', port: DEFAULT_PORTS.graphql, at: 'http://localhost:PORT/graphql' },
  { name: 'jsonrpc', port: DEFAULT_PORTS.jsonrpc, at: 'http://localhost:PORT/rpc' },
  { name: 'websocket', port: DEFAULT_PORTS.websocket, at: 'ws://localhost:PORT/ws' },
  { name: 'explorer', port: DEFAULT_PORTS.explorer, at: 'http://localhost:PORT/' },
] as const;

/** The explorer reaches each service where this launcher put it. */
const explorerTargets = (offset: number) =>
  Object.fromEntries(
    SERVICES.filter((service) => service.name !== 'explorer').map((service) => [
      `EXPLORER_${service.name.toUpperCase()}_URL`,
      `http://127.0.0.1:${service.port + offset}`,
    ]),
  );

const COLOURS = [36, 35, 33, 32, 34, 37];
const env = process.env;
const terminal = process.stdout.isTTY === true;
const dist = join(__dirname, '../../apps');
const width = Math.max(...SERVICES.map((service) => service.name.length), 'system'.length);

function prefix(name: string, index: number): string {
  const label = `${name.padEnd(width)} │ `;
  return terminal ? `\u001b[${COLOURS[index % COLOURS.length]}m${label}\u001b[0m` : label;
}

function say(line: string): void {
  process.stdout.write(`${prefix('system', 6)}${line}\n`);
}

function portSetting(): number {
  const offset = Number(env['SYSTEM_PORT_OFFSET'] ?? 0);
  if (!Number.isInteger(offset) || offset < 0 || offset > 60_000) {
    process.stderr.write('SYSTEM_PORT_OFFSET: must be a whole number from 0 to 60000\n');
    process.exit(1);
  }
  return offset;
}

async function ready(port: number, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

async function main(): Promise<void> {
  const started = performance.now();
  const offset = portSetting();
  let embedded: EmbeddedServer | undefined;
  let databaseUrl = env['DATABASE_URL'];
  if (!databaseUrl) {
    const seed = env['SEED_DEMO_DATA'] !== 'false' && env['SEED_DEMO_DATA'] !== '0';
    try {
      embedded = await startEmbeddedServer({ pgliteDir: env['PGLITE_DIR'], seed });
    } catch (error) {
      say(`could not start the embedded database: ${(error as Error).message}`);
      process.exitCode = 1;
      return;
    }
    databaseUrl = embedded.url;
    say(
      `embedded database (PGlite, ${env['PGLITE_DIR'] ?? 'in memory'}) served on ${embedded.url}` +
        (embedded.seeded ? ', seeded with the demo catalogue' : ''),
    );
  } else {
    say('services share DATABASE_URL');
  }

  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.exitCode = code;
    say('stopping');
    const exits = [...children.values()]
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => new Promise((resolve) => child.once('exit', resolve)));
    for (const child of children.values()) child.kill('SIGTERM');
    await Promise.all(exits);
    await embedded?.close();
    say('stopped');
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  SERVICES.forEach((service, index) => {
    const child = spawn(process.execPath, [join(dist, service.name, 'main.js')], {
      env: {
        ...env,
        PORT: String(service.port + offset),
        DATABASE_URL: databaseUrl,
        // The embedded database was seeded above; a shared Postgres only when asked.
        SEED_DEMO_DATA: embedded ? 'false' : (env['SEED_DEMO_DATA'] ?? 'false'),
        LOG_FORMAT: env['LOG_FORMAT'] ?? (terminal ? 'pretty' : 'json'),
        FORCE_COLOR: terminal ? '1' : '0',
        ...(service.name === 'explorer' ? explorerTargets(offset) : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.set(service.name, child);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) =>
        process.stdout.write(`${prefix(service.name, index)}${line}\n`),
      );
    }
    child.once('exit', (code, signal) => {
      if (stopping) return;
      say(`${service.name} exited (${signal ?? `code ${code}`}); stopping the others`);
      void stopAll(1);
    });
  });

  const deadline = Date.now() + 120_000;
  const answers = await Promise.all(
    SERVICES.map((service) => ready(service.port + offset, deadline)),
  );
  if (stopping) return;
  if (answers.includes(false)) {
    say(
      `not ready within 120 s: ${SERVICES.filter((_, i) => !answers[i])
        .map((s) => s.name)
        .join(', ')}`,
    );
    await stopAll(1);
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  say(`all five ready in ${seconds} s with the explorer, on one database:`);
  for (const service of SERVICES)
    say(
      `  ${service.name.padEnd(width)} ${service.at.replace('PORT', String(service.port + offset))}`,
    );
  say('writes take the API key `dev-key` unless API_KEYS is set; Ctrl-C stops everything');
}

void main();
