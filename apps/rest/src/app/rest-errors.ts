import { DomainError, type ErrorCode } from '@bookshop/domain';
import {
  classifyTransportStatus,
  type RenderedError,
  type TransportErrorRenderer,
  toClientError,
} from '@bookshop/platform';
import { PreconditionFailed } from './etag';

/** The contract's codes as HTTP statuses and problem titles (CONTRACT.md, "Errors"). */
export const REST_ERRORS = {
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  VALIDATION_FAILED: { status: 422, title: 'Validation failed' },
  UNAUTHENTICATED: { status: 401, title: 'Unauthenticated' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  CONFLICT: { status: 409, title: 'Conflict' },
  OUT_OF_STOCK: { status: 409, title: 'Out of stock' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const satisfies Record<ErrorCode, { status: number; title: string }>;

/** An RFC 9457 problem document with the contract's `code` and field `errors`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  errors?: readonly unknown[];
  requestId: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

interface HttpLikeError {
  statusCode?: number;
  status?: number;
  message?: string;
  getStatus?: () => number;
}

/**
 * Turns anything thrown into a problem and the headers that go with it.
 * Domain errors keep their code; the transport's own 4xx errors (malformed
 * JSON, unsupported media type, body too large, unknown route) are classified
 * by the platform; everything else is INTERNAL and `unexpected`, to be logged
 * whole.
 */
export function toProblem(
  thrown: unknown,
  request: { url: string; requestId: string },
): { problem: Problem; headers: Record<string, string>; unexpected: boolean } {
  if (thrown instanceof PreconditionFailed) {
    return {
      unexpected: false,
      problem: problemOf(thrown.error, 412, request.url, request.requestId),
      headers: headersOf(thrown.error),
    };
  }
  let error: DomainError;
  let unexpected = false;
  let status: number | undefined;
  const http = thrown as HttpLikeError | undefined;
  const httpStatus = http?.getStatus?.() ?? http?.statusCode;
  const transport =
    thrown instanceof DomainError
      ? undefined
      : classifyTransportStatus(httpStatus, http?.message ?? 'Bad request');
  if (transport) {
    error = transport.error;
    // 405, 406 and 415 say more than 400 about what to change; the code stays BAD_REQUEST.
    status = [405, 406, 415].includes(transport.status) ? transport.status : undefined;
  } else {
    ({ error, unexpected } = toClientError(thrown));
  }
  status ??= REST_ERRORS[error.code].status;
  return {
    unexpected,
    problem: problemOf(error, status, request.url, request.requestId),
    headers: headersOf(error),
  };
}

/** The RFC 9457 document for an error with a given status. */
function problemOf(error: DomainError, status: number, url: string, requestId: string): Problem {
  return {
    type: `urn:bookshop:problem:${error.code.toLowerCase().replace(/_/g, '-')}`,
    title: REST_ERRORS[error.code].title,
    status,
    detail: error.message,
    instance: url.split('?')[0] ?? url,
    code: error.code,
    ...(error.details ? { errors: error.details } : {}),
    requestId,
  };
}

/**
 * RFC 9110 §11.6.1: a 401 MUST say how to authenticate (`WWW-Authenticate`);
 * §10.2.3: 429 and 503 say when to come back (`Retry-After`).
 */
function headersOf(error: DomainError): Record<string, string> {
  if (error.code === 'UNAUTHENTICATED') return { 'www-authenticate': 'Bearer realm="bookshop"' };
  if (error.retryAfterSeconds !== undefined) {
    return { 'retry-after': String(error.retryAfterSeconds) };
  }
  return {};
}

/** A failure before any route ran (a malformed URL, headers over 16 KiB), as a problem with its status. */
export const renderRestTransportError: TransportErrorRenderer = (
  failure,
  request,
): RenderedError => ({
  status: failure.status,
  contentType: PROBLEM_CONTENT_TYPE,
  body: JSON.stringify(problemOf(failure.error, failure.status, request.path, request.requestId)),
});
