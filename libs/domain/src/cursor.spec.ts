import { decodeCursor, encodeCursor } from './cursor';
import { type DomainError } from './errors';

describe('cursors', () => {
  const position = {
    createdAt: '2025-01-01T00:00:00.000Z',
    id: '00000000-0000-4000-8000-000000000001',
  };

  it('round-trip a position through a URL-safe string', () => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each([
    '',
    'not a cursor!',
    btoa('2025-01-01|x'),
    btoa('garbage|00000000-0000-4000-8000-000000000001'),
    // The shape of a time that names none, and a day that does not exist.
    btoa('2024-13-45T99:99:99.999Z|00000000-0000-4000-8000-000000000001'),
    btoa('2025-02-30T00:00:00.000Z|00000000-0000-4000-8000-000000000001'),
  ])('reject %j with VALIDATION_FAILED at cursor', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ path: 'cursor' })],
      }) as DomainError,
    );
  });
});
