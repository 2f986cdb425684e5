/**
 * JSON-RPC 2.0 (https://www.jsonrpc.org/specification): the message shapes
 * and the validation of one request object (§4). Nothing here knows Nest or
 * the bookshop.
 */

export type JsonRpcId = string | number | null;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  method: string;
  params?: unknown[] | Record<string, unknown>;
  /** Absent on a notification (§4.1); `null` is a (discouraged) id, not a notification. */
  id?: JsonRpcId;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export type JsonRpcResponse =
  | { jsonrpc: '2.0'; result: unknown; id: JsonRpcId }
  | { jsonrpc: '2.0'; error: JsonRpcErrorObject; id: JsonRpcId };

/** The pre-defined errors of §5.1. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;

/** A failure with its JSON-RPC error object; what handlers throw to answer with a specific error. */
export class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }

  toObject(): JsonRpcErrorObject {
    return {
      code: this.code,
      message: this.message,
      ...(this.data === undefined ? {} : { data: this.data }),
    };
  }
}

export function success(id: JsonRpcId, result: unknown): JsonRpcResponse {
  return { jsonrpc: '2.0', result, id };
}

export function failure(id: JsonRpcId, error: JsonRpcErrorObject): JsonRpcResponse {
  return { jsonrpc: '2.0', error, id };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** §4: an id is a String, a Number or Null. */
function isValidId(id: unknown): id is JsonRpcId {
  return id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
}

export type Validated =
  { ok: true; request: JsonRpcRequest } | { ok: false; id: JsonRpcId; reason: string };

/**
 * Checks one request object (§4). An invalid one is answered even without an
 * id, with the id when it could be read and `null` otherwise (§5).
 */
export function validateRequest(value: unknown): Validated {
  if (!isObject(value)) return { ok: false, id: null, reason: 'a request must be an object' };
  const id = 'id' in value && isValidId(value['id']) ? value['id'] : null;
  if (value['jsonrpc'] !== '2.0') return { ok: false, id, reason: 'jsonrpc must be exactly "2.0"' };
  if (typeof value['method'] !== 'string')
    return { ok: false, id, reason: 'method must be a string' };
  if ('params' in value && !isObject(value['params']) && !Array.isArray(value['params'])) {
    return { ok: false, id, reason: 'params must be an object or an array' };
  }
  if ('id' in value && !isValidId(value['id'])) {
    return { ok: false, id: null, reason: 'id must be a string, a number or null' };
  }
  return { ok: true, request: value as unknown as JsonRpcRequest };
}

export function isNotification(request: JsonRpcRequest): boolean {
  return !('id' in request);
}
