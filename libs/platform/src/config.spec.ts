import { ConfigError, DEV_API_KEY, defaultLogFormat, loadConfig } from './config';

const service = { name: 'rest' } as const;

describe('loadConfig', () => {
  it('uses the defaults: embedded database, the dev key, the service port', () => {
    const config = loadConfig({}, service);
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3001,
      host: '0.0.0.0',
      database: { url: undefined, pgliteDir: undefined, poolSize: 10 },
      apiKeys: [DEV_API_KEY],
      usingDevKey: true,
      seedDemoData: true,
      logLevel: 'info',
      maxRequestsInFlightPerConnection: 8,
      rateLimits: { windowMs: 60_000, reads: 12_000, writes: 6000, authFailures: 30 },
    });
    expect(config.database.timeouts).toEqual({
      deadlineMs: 5000,
      connectMs: undefined,
      statementMs: undefined,
      pingMs: 1000,
    });
  });

  it('reads the deadlines and the limits, 0 turning a limit off', () => {
    const config = loadConfig(
      {
        DATABASE_TIMEOUT_MS: '2000',
        DATABASE_CONNECT_TIMEOUT_MS: '1500',
        DATABASE_STATEMENT_TIMEOUT_MS: '1000',
        DATABASE_PING_TIMEOUT_MS: '300',
        HTTP_MAX_IN_FLIGHT_PER_CONNECTION: '4',
        RATE_LIMIT_WINDOW_MS: '1000',
        RATE_LIMIT_READS: '0',
        RATE_LIMIT_WRITES: '10',
        RATE_LIMIT_AUTH_FAILURES: '3',
      },
      service,
    );
    expect(config.database.timeouts).toEqual({
      deadlineMs: 2000,
      connectMs: 1500,
      statementMs: 1000,
      pingMs: 300,
    });
    expect(config.maxRequestsInFlightPerConnection).toBe(4);
    expect(config.rateLimits).toEqual({ windowMs: 1000, reads: 0, writes: 10, authFailures: 3 });
    expect(() => loadConfig({ DATABASE_TIMEOUT_MS: '0' }, service)).toThrow(ConfigError);
    expect(() => loadConfig({ RATE_LIMIT_READS: '-1' }, service)).toThrow(ConfigError);
  });

  it('reads every setting', () => {
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        PORT: '8080',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgres://u:p@db/bookshop',
        API_KEYS: ' one , two,,',
        SEED_DEMO_DATA: 'false',
        LOG_LEVEL: 'debug',
      },
      service,
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      database: { url: 'postgres://u:p@db/bookshop' },
      apiKeys: ['one', 'two'],
      usingDevKey: false,
      seedDemoData: false,
      logLevel: 'debug',
    });
  });

  it('logs JSON lines unless told otherwise or writing to a terminal', () => {
    expect(loadConfig({}, service, 'json').logFormat).toBe('json');
    expect(loadConfig({}, service, 'pretty').logFormat).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: 'json' }, service, 'pretty').logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }, service, 'json').logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' }, service)).toThrow(
      /LOG_FORMAT: must be one of json, pretty/,
    );
  });

  it('takes a terminal, or nx serve at a terminal, for a person reading the logs', () => {
    expect(defaultLogFormat({}, true, false)).toBe('pretty');
    expect(defaultLogFormat({}, false, true)).toBe('json');
    expect(defaultLogFormat({ NX_FILE_TO_RUN: 'dist/apps/rest/main.js' }, false, true)).toBe(
      'pretty',
    );
    expect(defaultLogFormat({ NX_FILE_TO_RUN: 'dist/apps/rest/main.js' }, false, false)).toBe(
      'json',
    );
  });

  it('seeds the demo catalogue into the embedded database, and into Postgres only when asked', () => {
    const postgres = 'postgres://u:p@db/bookshop';
    expect(loadConfig({}, service).seedDemoData).toBe(true);
    expect(loadConfig({ SEED_DEMO_DATA: 'false' }, service).seedDemoData).toBe(false);
    expect(loadConfig({ DATABASE_URL: postgres }, service).seedDemoData).toBe(false);
    expect(
      loadConfig({ DATABASE_URL: postgres, SEED_DEMO_DATA: 'true' }, service).seedDemoData,
    ).toBe(true);
  });

  it('trusts no proxy by default, and the listed ones with TRUST_PROXY', () => {
    expect(loadConfig({}, service).trustProxy).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, loopback ' }, service).trustProxy).toEqual([
      '10.0.0.0/8',
      'loopback',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'gateway.local' }, service)).toThrow(
      /TRUST_PROXY: must be addresses or CIDR ranges/,
    );
  });

  it('drains for no time unless told, and for less than the whole stop', () => {
    expect(loadConfig({}, service).shutdownDrainMs).toBe(0);
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: '2000' }, service).shutdownDrainMs).toBe(2000);
    expect(() =>
      loadConfig({ SHUTDOWN_DRAIN_MS: '10000', SHUTDOWN_TIMEOUT_MS: '10000' }, service),
    ).toThrow(/SHUTDOWN_DRAIN_MS: must be less than SHUTDOWN_TIMEOUT_MS \(10000\)/);
  });

  it('keeps idempotency keys a day unless told longer, and never shorter', () => {
    expect(loadConfig({}, service).idempotencyRetentionMs).toBe(24 * 3_600_000);
    expect(loadConfig({ IDEMPOTENCY_RETENTION_HOURS: '72' }, service).idempotencyRetentionMs).toBe(
      72 * 3_600_000,
    );
    expect(() => loadConfig({ IDEMPOTENCY_RETENTION_HOURS: '23' }, service)).toThrow(
      /IDEMPOTENCY_RETENTION_HOURS: must be at least 24/,
    );
    expect(() => loadConfig({ IDEMPOTENCY_RETENTION_HOURS: '1.5' }, service)).toThrow(
      /IDEMPOTENCY_RETENTION_HOURS: must be a whole number of hours/,
    );
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }, service)).toMatchObject({
      port: 3001,
      database: { url: undefined },
    });
  });

  it('reports every bad value by name, in one message', () => {
    expect(() =>
      loadConfig(
        { PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', SEED_DEMO_DATA: 'maybe' },
        service,
      ),
    ).toThrow(
      new ConfigError(
        [
          'Invalid configuration for the rest service:',
          '  PORT: must be a port number',
          '  DATABASE_URL: must be a postgres:// URL',
          '  SEED_DEMO_DATA: must be true or false',
          '  LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
        ].join('\n'),
      ),
    );
  });

  it('refuses a port above 65535', () => {
    expect(() => loadConfig({ PORT: '70000' }, service)).toThrow(
      'PORT: must be a port number (0–65535)',
    );
  });

  it('serves /metrics outside production, and in production only when METRICS asks', () => {
    expect(loadConfig({}, service).metrics).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', API_KEYS: 'k' }, service).metrics).toBe(false);
    expect(
      loadConfig({ NODE_ENV: 'production', API_KEYS: 'k', METRICS: 'true' }, service).metrics,
    ).toBe(true);
    expect(loadConfig({ METRICS: 'false' }, service).metrics).toBe(false);
  });

  it('refuses to run in production without API keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, service)).toThrow(
      'API_KEYS: must hold at least one key in production',
    );
    expect(() => loadConfig({ NODE_ENV: 'production', API_KEYS: ' , ' }, service)).toThrow(
      ConfigError,
    );
  });
});
