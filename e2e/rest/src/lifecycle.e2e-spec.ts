import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY, startRest } from './support';

const MAIN = join(__dirname, '../../../dist/apps/rest/main.js');

/** Runs the built service with these settings until it exits (it is expected to refuse to start). */
function runOnce(env: Record<string, string>): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [MAIN], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('the REST service process', () => {
  it('stops gracefully on SIGTERM, closing its database', async () => {
    const { service, http } = await startRest();
    expect((await http('GET', '/health/ready')).status).toBe(200);
    const code = await service.stop('SIGTERM');
    expect(code).toBe(0);
    expect(service.logs.map((entry) => entry['event'])).toEqual(
      expect.arrayContaining(['stopping', 'stopped']),
    );
  });

  it('serves a request that arrives on an open connection while it drains, with Connection: close', async () => {
    const { service } = await startRest();
    const { hostname, port } = new URL(service.url);
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    await new Promise((resolve) => socket.once('connect', resolve));
    // A request in progress (its body not yet sent) holds the connection open through SIGTERM…
    const body = JSON.stringify({ name: 'Drained' });
    socket.write(
      `POST /api/authors HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopped = service.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // …then its body, and a second request behind it on the same connection.
    socket.write(`${body}GET /api/authors?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n`);
    await new Promise((resolve) => socket.once('close', resolve));
    expect(await stopped).toBe(0);
    const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => m[1]);
    expect(statuses).toEqual(['201', '200']);
    // The second answer closes the connection: the caller's next request opens another.
    expect(received.slice(received.lastIndexOf('HTTP/1.1'))).toMatch(/\r\nconnection: close\r\n/i);
    expect(received).not.toContain('Service Unavailable');
  });

  it('drains for SHUTDOWN_DRAIN_MS: no new connection, the open ones answered once more and closed', async () => {
    const { service } = await startRest({ SHUTDOWN_DRAIN_MS: '1500' });
    const { hostname, port } = new URL(service.url);
    // A kept-open connection, idle when the signal comes, as a proxy holds them.
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /api/authors?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise<void>((resolve) => {
      const check = () => (/\r\n\r\n\{.*\}$/s.test(received) ? resolve() : setTimeout(check, 10));
      check();
    });
    const stopped = service.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // A new connection is refused at once…
    const refused = await new Promise<string>((resolve) => {
      const other = connect(Number(port), hostname);
      other.once('connect', () => {
        other.destroy();
        resolve('accepted');
      });
      other.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    // …while the open one is still answered, and closed after that answer.
    received = '';
    socket.write('GET /api/authors?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => socket.once('close', resolve));
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
    expect(await stopped).toBe(0);
  });

  it('gives up on a request that never ends after SHUTDOWN_TIMEOUT_MS, and says so in its last line', async () => {
    const { service } = await startRest({ SHUTDOWN_TIMEOUT_MS: '500' });
    const { hostname, port } = new URL(service.url);
    // A request whose body never comes: the server cannot close while it is open.
    const socket = connect(Number(port), hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /api/authors HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const code = await service.stop('SIGTERM');
    socket.destroy();
    expect(code).toBe(1);
    // Logged right before process.exit: a log that buffered its writes would lose it (docs/adr/0008).
    expect(service.logs.map((entry) => entry['event'])).toEqual(
      expect.arrayContaining(['stopping', 'stop-timeout']),
    );
  });

  it('exits 1 with a clear message, not a stack trace, on a bad setting', () => {
    const result = runOnce({ PORT: 'abc', DATABASE_URL: 'mysql://nope' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'Invalid configuration for the rest service:\n  PORT: must be a port number\n  DATABASE_URL: must be a postgres:// URL\n',
    );
  });

  it('refuses to start in production without API keys', () => {
    const result = runOnce({ NODE_ENV: 'production', API_KEYS: '' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('API_KEYS: must hold at least one key in production');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('warns at start when it falls back to the development key', async () => {
    const { service, http } = await startRest({ API_KEYS: '' });
    expect(
      service.logs.some(
        (entry) => String(entry['msg']).includes('dev-key') && entry['level'] === 40,
      ),
    ).toBe(true);
    expect(
      (await http('POST', '/api/authors', { key: 'dev-key', body: { name: 'Dev' } })).status,
    ).toBe(201);
    await service.stop();
  });

  it('reports a database it cannot reach in one line naming DATABASE_URL, and exits 1', () => {
    const result = runOnce({
      PORT: '0',
      LOG_FORMAT: 'json',
      DATABASE_URL: 'postgres://nobody:wrong@127.0.0.1:1/none',
    });
    expect(result.status).toBe(1);
    const failures = startupFailures(result.stdout);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.['reason']).toMatch(
      /^cannot reach the database at DATABASE_URL \(postgres:\/\/nobody@127\.0\.0\.1:1\/none\): .*ECONNREFUSED/,
    );
    expect(`${result.stdout}${result.stderr}`).not.toContain('wrong');
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('refuses a PGLITE_DIR another service process holds, saying how to share one database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bookshop-rest-'));
    const { service } = await startRest({ DATABASE_URL: '', PGLITE_DIR: dir });
    try {
      const result = runOnce({ PORT: '0', LOG_FORMAT: 'json', DATABASE_URL: '', PGLITE_DIR: dir });
      expect(result.status).toBe(1);
      const failures = startupFailures(result.stdout);
      expect(failures).toHaveLength(1);
      expect(failures[0]?.['reason']).toBe(
        `PGLITE_DIR ${dir} is in use by process ${service.process.pid}: an embedded database belongs to one process. ` +
          'Run the services together with `npm start` (one shared database), give each its own PGLITE_DIR, ' +
          'or point them at Postgres with DATABASE_URL.',
      );
    } finally {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a port another process holds in one line, and exits 1 before starting anything', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      for (const format of ['json', 'pretty']) {
        const result = runOnce({ HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: format });
        expect(result.status).toBe(1);
        expect(result.stderr).toBe('');
        const lines = result.stdout.trim().split('\n');
        expect(lines).toHaveLength(1);
        const expected = `The rest service could not start: 127.0.0.1:${port} is already in use; stop the process that holds it or set PORT to another port`;
        if (format === 'json') {
          expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 60, msg: expected });
        } else {
          expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] FATAL: \[rest\] /);
          expect(lines[0]).toContain(expected);
        }
      }
    } finally {
      holder.close();
    }
  });
});

function startupFailures(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry['event'] === 'startup-failed');
}
