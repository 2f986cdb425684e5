import { DomainError, type ErrorCode, type FieldIssue } from '@bookshop/domain';
import { toClientError } from '@bookshop/platform';

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

/** The HTTP-level failures Fastify and Nest raise before a handler runs, by status. */
function fromHttpStatus(status: number, message: string): DomainError {
  if (status === 413)
    return new DomainError('PAYLOAD_TOO_LARGE', 'The request body is over the 1 MiB limit');
  if (status === 404) return new DomainError('NOT_FOUND', message);
  return new DomainError('BAD_REQUEST', message);
}

interface HttpLikeError {
  statusCode?: number;
  status?: number;
  message?: string;
  getStatus?: () => number;
}

/**
 * Turns anything thrown into a problem. Domain errors keep their code; the
 * transport's own 4xx errors (malformed JSON, unsupported media type, body
 * too large, unknown route) become BAD_REQUEST, PAYLOAD_TOO_LARGE or
 * NOT_FOUND; everything else is INTERNAL and `unexpected`, to be logged whole.
 */
export function toProblem(
  thrown: unknown,
  request: { url: string; headers: Record<string, unknown>; requestId: string },
): { problem: Problem; unexpected: boolean } {
  let error: DomainError;
  let unexpected = false;
  let status: number | undefined;
  const http = thrown as HttpLikeError | undefined;
  const httpStatus = http?.getStatus?.() ?? http?.statusCode;
  if (
    !(thrown instanceof DomainError) &&
    typeof httpStatus === 'number' &&
    httpStatus >= 400 &&
    httpStatus < 500
  ) {
    error = fromHttpStatus(httpStatus, http?.message ?? 'Bad request');
    status = httpStatus === 415 || httpStatus === 405 ? httpStatus : undefined;
  } else {
    ({ error, unexpected } = toClientError(thrown));
  }
  status ??= statusOf(error, request.headers);
  return {
    unexpected,
    problem: {
      type: `urn:bookshop:problem:${error.code.toLowerCase().replace(/_/g, '-')}`,
      title: REST_ERRORS[error.code].title,
      status,
      detail: error.message,
      instance: request.url.split('?')[0] ?? request.url,
      code: error.code,
      ...(error.details ? { errors: error.details } : {}),
      requestId: request.requestId,
    },
  };
}

/**
 * One deliberate exception to the table: a stale version asked for with
 * `If-Match` is a failed precondition, 412 (RFC 9110 §13.1.1); the same
 * mismatch sent as `expectedVersion` in the body stays a 409 CONFLICT.
 */
function statusOf(error: DomainError, headers: Record<string, unknown>): number {
  const staleVersion =
    error.code === 'CONFLICT' &&
    (error.details as readonly FieldIssue[] | undefined)?.some((d) => d.path === 'expectedVersion');
  if (staleVersion && headers['if-match'] !== undefined) return 412;
  return REST_ERRORS[error.code].status;
}
