import { loadConfig } from '@bookshop/platform';
import { loadExplorerSettings } from './settings';

const settings = (env: Record<string, string>) =>
  loadExplorerSettings(env, loadConfig(env, { name: 'explorer' }));

describe('the explorer settings', () => {
  it('reaches each service on loopback at its port, with the first key, by default', () => {
    const loaded = settings({ API_KEYS: 'one,two' });
    expect(loaded.targets.rest).toBe('http://127.0.0.1:3001');
    expect(loaded.publicPorts).toEqual({
      rest: 3001,
      soap: 3002,
      graphql: 3003,
      jsonrpc: 3004,
      websocket: 3005,
    });
    expect(loaded.apiKey).toBe('one');
  });

  it('tells the browser the public port where a mapping differs from the target', () => {
    const loaded = settings({
      EXPLORER_WEBSOCKET_URL: 'http://websocket:3005',
      EXPLORER_WEBSOCKET_PUBLIC_PORT: '33005',
    });
    expect(loaded.targets.websocket).toBe('http://websocket:3005');
    expect(loaded.publicPorts.websocket).toBe(33005);
  });

  it('sends the browser to its own origin for every service behind the gateway', () => {
    const loaded = settings({
      EXPLORER_BEHIND_GATEWAY: 'true',
      EXPLORER_WEBSOCKET_PUBLIC_PORT: '33005',
    });
    expect(Object.values(loaded.publicPorts)).toEqual([null, null, null, null, null]);
    expect(() => settings({ EXPLORER_BEHIND_GATEWAY: 'yes' })).toThrow(
      /EXPLORER_BEHIND_GATEWAY: must be true or false/,
    );
  });

  it('names every bad setting at once', () => {
    expect(() =>
      settings({ EXPLORER_REST_URL: 'rest:3001', EXPLORER_SOAP_PUBLIC_PORT: '70000' }),
    ).toThrow(/EXPLORER_REST_URL: must be http:\/\/host:port\n.*EXPLORER_SOAP_PUBLIC_PORT/);
  });
});
