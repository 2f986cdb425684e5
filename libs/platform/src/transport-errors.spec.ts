import { PassThrough } from 'node:stream';
import { type Socket } from 'node:net';
import {
  answerClientError,
  classifyClientError,
  classifyFrameworkError,
  classifyTransportStatus,
} from './transport-errors';

describe('transport errors', () => {
  it('classify statuses once: 413, 404, other 4xx, and nothing for 5xx', () => {
    expect(classifyTransportStatus(413)?.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(classifyTransportStatus(404, 'no route')?.error).toMatchObject({
      code: 'NOT_FOUND',
      message: 'no route',
    });
    expect(classifyTransportStatus(431)).toMatchObject({
      status: 431,
      error: { code: 'BAD_REQUEST' },
    });
    expect(classifyTransportStatus(500)).toBeUndefined();
  });

  it('classify the router’s refusals: a malformed escape (400) and an over-long segment (414)', () => {
    expect(classifyFrameworkError({ code: 'FST_ERR_BAD_URL' })).toMatchObject({ status: 400 });
    expect(classifyFrameworkError({ code: 'FST_ERR_MAX_PARAM_LENGTH' })).toMatchObject({
      status: 414,
      error: { code: 'BAD_REQUEST' },
    });
    expect(classifyFrameworkError({ code: 'FST_ERR_SOMETHING_ELSE' })).toBeUndefined();
  });

  it('classify Node’s parser errors: headers over the limit are 431', () => {
    expect(classifyClientError({ code: 'HPE_HEADER_OVERFLOW' })).toMatchObject({ status: 431 });
    expect(classifyClientError({ code: 'HPE_INVALID_METHOD' })).toMatchObject({ status: 400 });
  });

  it('answer a parser error with the renderer’s response and close the connection', () => {
    const socket = new PassThrough() as unknown as Socket;
    let written = '';
    (socket as unknown as PassThrough).on('data', (chunk: Buffer) => (written += chunk.toString()));
    answerClientError(
      Object.assign(new Error('overflow'), { code: 'HPE_HEADER_OVERFLOW' }),
      socket,
      (failure) => ({
        status: failure.status,
        contentType: 'application/json',
        body: JSON.stringify({ code: failure.error.code }),
      }),
    );
    expect(written).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(written).toContain('connection: close');
    expect(written.endsWith('{"code":"BAD_REQUEST"}')).toBe(true);
  });
});
