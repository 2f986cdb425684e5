import { type IncomingMessage, type ServerResponse } from 'node:http';
import { markCallerFault, requestIdOf, requestLogLevel } from './logging';

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

describe('requestLogLevel', () => {
  const response = (statusCode: number) => ({ statusCode }) as ServerResponse;

  it('rates 5xx as errors, 4xx as warnings, the rest as info', () => {
    expect(requestLogLevel(response(500), undefined)).toBe('error');
    expect(requestLogLevel(response(404), undefined)).toBe('warn');
    expect(requestLogLevel(response(200), undefined)).toBe('info');
    expect(requestLogLevel(response(200), new Error('x'))).toBe('error');
  });

  it('rates a 500 that carries the caller’s fault as a warning', () => {
    const res = response(500);
    markCallerFault(res);
    expect(requestLogLevel(res, undefined)).toBe('warn');
  });
});
