import { ConfigError } from '@bookshop/platform';
import { loadWebsocketSettings } from './settings';

describe('loadWebsocketSettings', () => {
  it('pings every 30 s, allows 4 MiB unsent, 32 frames in flight, 10 000 connections and 100 topics by default', () => {
    expect(loadWebsocketSettings({})).toEqual({
      heartbeatMs: 30_000,
      maxBufferedBytes: 4 * 1024 * 1024,
      maxInFlight: 32,
      maxConnections: 10_000,
      maxTopics: 100,
    });
  });

  it('reads every setting and refuses bad values by name', () => {
    expect(
      loadWebsocketSettings({
        WS_HEARTBEAT_MS: '500',
        WS_MAX_BUFFERED_BYTES: '1024',
        WS_MAX_IN_FLIGHT: '4',
        WS_MAX_CONNECTIONS: '2',
        WS_MAX_TOPICS: '3',
      }),
    ).toEqual({
      heartbeatMs: 500,
      maxBufferedBytes: 1024,
      maxInFlight: 4,
      maxConnections: 2,
      maxTopics: 3,
    });
    expect(() => loadWebsocketSettings({ WS_HEARTBEAT_MS: 'often' })).toThrow(ConfigError);
  });
});
