import { type IncomingMessage } from 'node:http';
import { requestIdOf } from './logging';

const request = (headers: Record<string, string> = {}) =>
  ({ headers }) as unknown as IncomingMessage;

describe('requestIdOf', () => {
  it('keeps a sane caller-supplied x-request-id', () => {
    expect(requestIdOf(request({ 'x-request-id': 'abc-123' }))).toBe('abc-123');
  });

  it('replaces an unsafe x-request-id with a new UUID', () => {
    expect(requestIdOf(request({ 'x-request-id': 'a b\n{json}' }))).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('returns the same id every time for one request', () => {
    const req = request();
    expect(requestIdOf(req)).toBe(requestIdOf(req));
  });
});
