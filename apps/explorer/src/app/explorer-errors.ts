import { type ErrorCode } from '@bookshop/domain';
import { type TransportErrorRenderer } from '@bookshop/platform';

/** The explorer's own errors as HTTP statuses; its body is `{error: {code, message}}`. */
export const EXPLORER_ERRORS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 422,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  CONFLICT: 409,
  OUT_OF_STOCK: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const satisfies Record<ErrorCode, number>;

/** A failure before a handler ran, in the explorer's JSON shape. */
export const renderExplorerTransportError: TransportErrorRenderer = (failure) => ({
  status: failure.status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify({ error: { code: failure.error.code, message: failure.error.message } }),
});
