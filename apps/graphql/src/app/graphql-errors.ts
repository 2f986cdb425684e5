import { type ErrorCode, isDomainError } from '@bookshop/domain';
import { type TransportErrorRenderer, toClientError } from '@bookshop/platform';
import { type GraphQLFormattedError } from 'graphql';

/** The contract's codes as `extensions.code` (CONTRACT.md, "Errors"). */
export const GRAPHQL_ERRORS = {
  BAD_REQUEST: 'BAD_REQUEST',
  VALIDATION_FAILED: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  OUT_OF_STOCK: 'OUT_OF_STOCK',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<ErrorCode, string>;

/** graphql-js and Apollo codes for requests that never reached a resolver; they pass unchanged. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Shapes every error a client sees. A domain error keeps its message, gets
 * its code from the table and its details in `extensions.details`; a
 * request-level error (syntax, validation, variables) passes as it is; anything
 * else is masked as INTERNAL_SERVER_ERROR and reported through `onUnexpected`.
 */
export function formatGraphqlError(
  formatted: GraphQLFormattedError,
  error: unknown,
  onUnexpected: (error: unknown) => void,
): GraphQLFormattedError {
  const original = (error as { originalError?: unknown } | undefined)?.originalError;
  const code = formatted.extensions?.['code'];
  if (!isDomainError(original)) {
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
      return { message: formatted.message, locations: formatted.locations, extensions: { code } };
    }
    if (!original && !code) {
      // graphql-js's own errors outside execution (the depth and cost limits) carry no code.
      return {
        message: formatted.message,
        locations: formatted.locations,
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      };
    }
  }
  const { error: domainError, unexpected } = toClientError(original ?? error);
  if (unexpected) onUnexpected(original ?? error);
  return {
    message: domainError.message,
    locations: formatted.locations,
    path: formatted.path,
    extensions: {
      code: GRAPHQL_ERRORS[domainError.code],
      ...(domainError.details ? { details: domainError.details } : {}),
    },
  };
}

/** Queries answer `null` for a missing id (CONTRACT.md, GraphQL); mutations keep NOT_FOUND. */
export async function nullIfNotFound<T>(result: Promise<T>): Promise<T | null> {
  try {
    return await result;
  } catch (error) {
    if (isDomainError(error) && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

/**
 * A failure before GraphQL ran (a malformed URL, headers over 16 KiB) as a
 * GraphQL response with the transport's status (GraphQL over HTTP: a
 * request-level error).
 */
export const renderGraphqlTransportError: TransportErrorRenderer = (failure) => ({
  status: failure.status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify({
    errors: [
      { message: failure.error.message, extensions: { code: GRAPHQL_ERRORS[failure.error.code] } },
    ],
  }),
});
