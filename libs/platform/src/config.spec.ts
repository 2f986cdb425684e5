import { ConfigError, DEV_API_KEY, loadConfig } from './config';

const service = { name: 'rest', defaultPort: 3001 };

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
    });
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

  it('refuses to run in production without API keys', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, service)).toThrow(
      'API_KEYS: must hold at least one key in production',
    );
    expect(() => loadConfig({ NODE_ENV: 'production', API_KEYS: ' , ' }, service)).toThrow(
      ConfigError,
    );
  });
});
