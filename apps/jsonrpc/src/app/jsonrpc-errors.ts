import { type ErrorCode } from '@bookshop/domain';
import { type TransportErrorRenderer, toClientError } from '@bookshop/platform';
import {
  INTERNAL_ERROR,
  INVALID_PARAMS,
  INVALID_REQUEST,
  JsonRpcError,
  METHOD_NOT_FOUND,
} from './json-rpc/json-rpc';

/**
 * The contract's codes as JSON-RPC error codes (CONTRACT.md, "Errors"). The
 * application-defined ones sit in the implementation-defined server range
 * of §5.1, chosen to echo the HTTP status (-32004 ~ 404).
 */
export const RPC_ERRORS = {
  BAD_REQUEST: { code: INVALID_REQUEST, message: 'Invalid Request' },
  VALIDATION_FAILED: { code: INVALID_PARAMS, message: 'Invalid params' },
  UNAUTHENTICATED: { code: -32001, message: 'Unauthenticated' },
  NOT_FOUND: { code: -32004, message: 'Not found' },
  CONFLICT: { code: -32009, message: 'Conflict' },
  OUT_OF_STOCK: { code: -32010, message: 'Out of stock' },
  PAYLOAD_TOO_LARGE: { code: INVALID_REQUEST, message: 'Invalid Request' },
  RATE_LIMITED: { code: -32029, message: 'Rate limited' },
  UNAVAILABLE: { code: -32030, message: 'Unavailable' },
  INTERNAL: { code: INTERNAL_ERROR, message: 'Internal error' },
} as const satisfies Record<ErrorCode, { code: number; message: string }>;

/**
 * The `data` of the protocol's own errors (§5.1: -32700 Parse error, -32600
 * Invalid Request, -32601 Method not found): the contract's code for
 * malformed requests, and why.
 */
export function protocolErrorData(reason?: string): { code: ErrorCode; reason?: string } {
  return { code: 'BAD_REQUEST', ...(reason === undefined ? {} : { reason }) };
}

/** -32601 for a method the service does not have (§5.1). */
export function methodNotFound(method: string): JsonRpcError {
  return new JsonRpcError(METHOD_NOT_FOUND, 'Method not found', {
    ...protocolErrorData(),
    method,
  });
}

/**
 * A thrown value as a JSON-RPC error: the domain's message, with the string
 * code and the details in `data`. Anything unexpected is -32603 with nothing
 * of its internals; `unexpected` tells the caller to log it whole.
 */
export function toRpcError(thrown: unknown): { error: JsonRpcError; unexpected: boolean } {
  const { error, unexpected } = toClientError(thrown);
  const data = { code: error.code, ...(error.details ? { details: error.details } : {}) };
  return { error: new JsonRpcError(RPC_ERRORS[error.code].code, error.message, data), unexpected };
}

/**
 * A failure before the JSON-RPC layer ran (a malformed URL, headers over
 * 16 KiB) as one error object with id null, under the transport's status.
 */
export const renderRpcTransportError: TransportErrorRenderer = (failure) => {
  const { error } = toRpcError(failure.error);
  return {
    status: failure.status,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({ jsonrpc: '2.0', error: error.toObject(), id: null }),
  };
};
