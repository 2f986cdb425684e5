import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { type Socket } from 'node:net';
import { DomainError } from '@bookshop/domain';

/**
 * A failure the HTTP layer found before any protocol handler ran, classified
 * once for all five services (ARCHITECTURE.md rule 5): the contract's code,
 * and the HTTP status that names the transport's problem (414, 431, 405, …).
 */
export interface TransportFailure {
  error: DomainError;
  status: number;
}

/**
 * Classifies an HTTP-level status: 413 is PAYLOAD_TOO_LARGE, 404 NOT_FOUND,
 * any other 4xx BAD_REQUEST; anything else is not the client's and yields
 * undefined (to be answered as INTERNAL and logged).
 */
export function classifyTransportStatus(
  status: number | undefined,
  message = 'Bad request',
): TransportFailure | undefined {
  if (status === 413) {
    return {
      status,
      error: new DomainError('PAYLOAD_TOO_LARGE', 'The request body is over the 1 MiB limit'),
    };
  }
  if (status === 404) return { status, error: new DomainError('NOT_FOUND', message) };
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, error: new DomainError('BAD_REQUEST', message) };
  }
  return undefined;
}

/** The errors Fastify's router raises itself (its `frameworkErrors` option), classified. */
export function classifyFrameworkError(error: { code?: string }): TransportFailure | undefined {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return classifyTransportStatus(400, 'The URL holds a malformed %-escape');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return classifyTransportStatus(414, 'A path segment of the URL is too long');
    default:
      return undefined;
  }
}

/** Node's HTTP parser errors (the server's `clientError` event), classified. */
export function classifyClientError(error: { code?: string }): TransportFailure {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return classifyTransportStatus(
        431,
        'The request line and headers are over the 16 KiB limit',
      ) as TransportFailure;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return classifyTransportStatus(408, 'The request did not arrive in time') as TransportFailure;
    default:
      return classifyTransportStatus(400, 'The request is not valid HTTP/1.1') as TransportFailure;
  }
}

/** A transport failure in one protocol's own shape. */
export interface RenderedError {
  status: number;
  contentType: string;
  body: string;
}

/** Each service's way to show a transport failure: its own error table, applied. */
export type TransportErrorRenderer = (
  failure: TransportFailure,
  request: { requestId: string; path: string },
) => RenderedError;

/**
 * Answers a request Node could not parse (the `clientError` event: headers or
 * URL over the limit, malformed HTTP) in the protocol's shape, then closes
 * the connection, whose stream can no longer be trusted.
 */
export function answerClientError(
  error: Error & { code?: string },
  socket: Socket,
  render: TransportErrorRenderer,
): void {
  // https://nodejs.org/api/http.html#event-clienterror: a reset socket has nobody to answer.
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const requestId = randomUUID();
  const rendered = render(classifyClientError(error), { requestId, path: '' });
  const body = Buffer.from(rendered.body, 'utf8');
  socket.end(
    `HTTP/1.1 ${rendered.status} ${STATUS_CODES[rendered.status] ?? 'Error'}\r\n` +
      `content-type: ${rendered.contentType}\r\n` +
      `content-length: ${body.length}\r\n` +
      `x-request-id: ${requestId}\r\n` +
      'connection: close\r\n\r\n' +
      body.toString('utf8'),
  );
}
