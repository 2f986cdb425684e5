import { DomainError } from '@bookshop/domain';
import { etagOf, noneMatch, PreconditionFailed, withIfMatch } from './etag';

const stale = () =>
  DomainError.conflict('stale', [{ path: 'expectedVersion', message: 'current version is 2' }]);

describe('If-Match (RFC 9110 §13.1.1)', () => {
  it('hands the write the version a strong ETag names, none for * or no header', async () => {
    const seen: (number | undefined)[] = [];
    const write = (version: number | undefined) => Promise.resolve(seen.push(version));
    await withIfMatch('"3"', write);
    await withIfMatch('*', write);
    await withIfMatch(undefined, write);
    expect(seen).toEqual([3, undefined, undefined]);
  });

  it('fails a stale version as a precondition, keeping the CONFLICT and its details', async () => {
    const failure = await withIfMatch('"1"', () => Promise.reject(stale())).catch((e) => e);
    expect(failure).toBeInstanceOf(PreconditionFailed);
    expect((failure as PreconditionFailed).error.code).toBe('CONFLICT');
  });

  it('fails a weak, foreign or listed tag as a precondition without writing', async () => {
    for (const header of ['W/"1"', '"abc"', '"1", "2"']) {
      let wrote = false;
      const failure = await withIfMatch(header, () => Promise.resolve((wrote = true))).catch(
        (e) => e,
      );
      expect(failure).toBeInstanceOf(PreconditionFailed);
      expect(wrote).toBe(false);
    }
  });

  it('leaves other failures, and a stale version without If-Match, as they are', async () => {
    const other = DomainError.conflict('isbn taken');
    await expect(withIfMatch('"1"', () => Promise.reject(other))).rejects.toBe(other);
    const plain = stale();
    await expect(withIfMatch(undefined, () => Promise.reject(plain))).rejects.toBe(plain);
  });
});

describe('If-None-Match (RFC 9110 §13.1.2)', () => {
  it('compares weakly', () => {
    const etag = etagOf({ version: 4 });
    expect(noneMatch('W/"4"', etag)).toBe(true);
    expect(noneMatch('"3", "4"', etag)).toBe(true);
    expect(noneMatch('*', etag)).toBe(true);
    expect(noneMatch('"5"', etag)).toBe(false);
    expect(noneMatch(undefined, etag)).toBe(false);
    // Weak on both sides (a list page's validator) still matches.
    expect(noneMatch('W/"abc"', 'W/"abc"')).toBe(true);
    expect(noneMatch('"abc"', 'W/"abc"')).toBe(true);
  });
});
