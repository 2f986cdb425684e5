import { DomainError } from '@bookshop/domain';
import { etagOf, noneMatch, versionFromIfMatch } from './etag';

describe('ETags', () => {
  it('are strong tags of the version', () => {
    expect(etagOf({ version: 3 })).toBe('"3"');
  });

  it('match If-None-Match weakly, in lists and with *', () => {
    expect(noneMatch('"3"', '"3"')).toBe(true);
    expect(noneMatch('W/"3"', '"3"')).toBe(true);
    expect(noneMatch('"1", "3"', '"3"')).toBe(true);
    expect(noneMatch('*', '"3"')).toBe(true);
    expect(noneMatch('"2"', '"3"')).toBe(false);
    expect(noneMatch(undefined, '"3"')).toBe(false);
  });

  it('turn If-Match into the expected version, * into none', () => {
    expect(versionFromIfMatch('"4"')).toBe(4);
    expect(versionFromIfMatch('*')).toBeUndefined();
  });

  it('refuse weak, foreign or several If-Match tags as a failed precondition', () => {
    for (const header of ['W/"4"', 'abc', '"a"', '"1", "2"', '']) {
      expect(() => versionFromIfMatch(header)).toThrow(DomainError);
    }
  });
});
