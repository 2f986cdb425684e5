import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startRest } from './support';

const MAIN = join(__dirname, '../../../dist/apps/rest/main.js');

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

  it('exits 1 with a clear message, not a stack trace, on a bad setting', () => {
    const result = spawnSync(process.execPath, [MAIN], {
      env: { ...process.env, PORT: 'abc', DATABASE_URL: 'mysql://nope' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'Invalid configuration for the rest service:\n  PORT: must be a port number\n  DATABASE_URL: must be a postgres:// URL\n',
    );
  });

  it('refuses to start in production without API keys', () => {
    const result = spawnSync(process.execPath, [MAIN], {
      env: { ...process.env, NODE_ENV: 'production', API_KEYS: '' },
      encoding: 'utf8',
      timeout: 20_000,
    });
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

  it('reports a database it cannot reach and exits 1', () => {
    const result = spawnSync(process.execPath, [MAIN], {
      env: { ...process.env, PORT: '0', DATABASE_URL: 'postgres://nobody:wrong@127.0.0.1:1/none' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('"event":"startup-failed"');
  });
});
