import { ConfigError, loadConfig } from '@bookshop/platform';
import { loadGraphqlSettings } from './settings';

const config = (env: Record<string, string>) => loadConfig(env, { name: 'graphql' });

describe('loadGraphqlSettings', () => {
  it('limits depth to 10 and turns introspection and the IDE on outside production', () => {
    expect(loadGraphqlSettings({}, config({}))).toEqual({
      maxDepth: 10,
      maxCost: 5000,
      maxAliases: 15,
      maxOperationsPerConnection: 100,
      maxConnections: 1000,
      maxBufferedBytes: 4 * 1024 * 1024,
      introspection: true,
      ide: true,
    });
  });

  it('turns introspection and the IDE off in production unless asked', () => {
    const production = config({ NODE_ENV: 'production', API_KEYS: 'k' });
    expect(loadGraphqlSettings({}, production)).toMatchObject({ introspection: false, ide: false });
    expect(loadGraphqlSettings({ GRAPHQL_INTROSPECTION: 'true' }, production)).toMatchObject({
      introspection: true,
    });
  });

  it('reads the limits and refuses bad values by name', () => {
    expect(
      loadGraphqlSettings({ GRAPHQL_MAX_DEPTH: '4', GRAPHQL_MAX_COST: '100' }, config({})),
    ).toMatchObject({ maxDepth: 4, maxCost: 100 });
    expect(() => loadGraphqlSettings({ GRAPHQL_MAX_DEPTH: '0' }, config({}))).toThrow(
      new ConfigError(
        'Invalid configuration for the graphql service:\n  GRAPHQL_MAX_DEPTH: must be a positive integer',
      ),
    );
  });
});
