import { ApiKeys, bearerToken } from './api-keys';

describe('ApiKeys', () => {
  const keys = new ApiKeys(['alpha-key', 'beta']);

  it('accepts each configured key', () => {
    expect(keys.verify('alpha-key')).toBe(true);
    expect(keys.verify('beta')).toBe(true);
  });

  it('refuses anything else, including prefixes and empty values', () => {
    for (const candidate of ['alpha', 'alpha-key ', 'BETA', '', undefined, null]) {
      expect(keys.verify(candidate)).toBe(false);
    }
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header, whatever the scheme’s case', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
  });

  it('ignores other schemes and malformed headers', () => {
    for (const header of ['Basic abc', 'Bearer', 'Bearer a b', 'abc', undefined]) {
      expect(bearerToken(header)).toBeUndefined();
    }
  });
});
