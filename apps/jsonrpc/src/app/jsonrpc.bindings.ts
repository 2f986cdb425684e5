import { type OperationName } from '@bookshop/domain';
import { operationsByName } from '@bookshop/platform';

/** How JSON-RPC carries an operation: the method a Request object names. */
export interface JsonrpcBinding {
  method: string;
}

/**
 * Every catalogue operation as a JSON-RPC method (ARCHITECTURE.md rule 3).
 * The methods are the catalogue's dotted names, as CONTRACT.md says; the
 * `rpc.` prefix stays free for the protocol's own (§4: rpc.discover).
 */
export const JSONRPC_BINDINGS = {
  'authors.create': { method: 'authors.create' },
  'authors.get': { method: 'authors.get' },
  'authors.list': { method: 'authors.list' },
  'books.create': { method: 'books.create' },
  'books.get': { method: 'books.get' },
  'books.list': { method: 'books.list' },
  'books.update': { method: 'books.update' },
  'books.delete': { method: 'books.delete' },
  'books.adjustStock': { method: 'books.adjustStock' },
  'orders.place': { method: 'orders.place' },
  'orders.get': { method: 'orders.get' },
  'orders.cancel': { method: 'orders.cancel' },
} as const satisfies Record<OperationName, JsonrpcBinding>;

/** The catalogue operation a method name calls, if any. */
export const OPERATION_BY_METHOD = operationsByName(JSONRPC_BINDINGS, (b) => b.method);
