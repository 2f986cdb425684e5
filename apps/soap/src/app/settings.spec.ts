import { ConfigError } from '@bookshop/platform';
import { loadSoapSettings } from './settings';

describe('loadSoapSettings', () => {
  it('allows 32 levels of nesting by default', () => {
    expect(loadSoapSettings({})).toEqual({ maxDepth: 32 });
  });

  it('reads SOAP_MAX_DEPTH', () => {
    expect(loadSoapSettings({ SOAP_MAX_DEPTH: '12' })).toEqual({ maxDepth: 12 });
  });

  it('refuses a value that is no whole number, or too small to hold a request, by name', () => {
    expect(() => loadSoapSettings({ SOAP_MAX_DEPTH: 'deep' })).toThrow(ConfigError);
    expect(() => loadSoapSettings({ SOAP_MAX_DEPTH: '4' })).toThrow(
      /SOAP_MAX_DEPTH: must be at least 8/,
    );
  });
});
