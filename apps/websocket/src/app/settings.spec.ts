import { ConfigError } from '@bookshop/platform';
import { loadWebsocketSettings } from './settings';

describe('loadWebsocketSettings', () => {
  it('pings every 30 s and allows 4 MiB unsent by default', () => {
    expect(loadWebsocketSettings({})).toEqual({
      heartbeatMs: 30_000,
      maxBufferedBytes: 4 * 1024 * 1024,
    });
  });

  it('reads both settings and refuses bad values by name', () => {
    expect(
      loadWebsocketSettings({ WS_HEARTBEAT_MS: '500', WS_MAX_BUFFERED_BYTES: '1024' }),
    ).toEqual({
      heartbeatMs: 500,
      maxBufferedBytes: 1024,
    });
    expect(() => loadWebsocketSettings({ WS_HEARTBEAT_MS: 'often' })).toThrow(ConfigError);
  });
});
