import { type OperationName } from '@bookshop/domain';
import { operationsByName } from '@bookshop/platform';

/** How a request frame carries an operation: its `op`. */
export interface WebsocketBinding {
  op: string;
}

/**
 * Every catalogue operation as a frame op (ARCHITECTURE.md rule 3): the
 * catalogue's dotted names, as CONTRACT.md says. The connection's own ops
 * (`auth`, `subscribe`, `unsubscribe`) are in frames.ts.
 */
export const WEBSOCKET_BINDINGS = {
  'authors.create': { op: 'authors.create' },
  'authors.get': { op: 'authors.get' },
  'authors.list': { op: 'authors.list' },
  'books.create': { op: 'books.create' },
  'books.get': { op: 'books.get' },
  'books.list': { op: 'books.list' },
  'books.update': { op: 'books.update' },
  'books.delete': { op: 'books.delete' },
  'books.adjustStock': { op: 'books.adjustStock' },
  'orders.place': { op: 'orders.place' },
  'orders.get': { op: 'orders.get' },
  'orders.cancel': { op: 'orders.cancel' },
} as const satisfies Record<OperationName, WebsocketBinding>;

/** The catalogue operation a frame's op names, if any. */
export const OPERATION_BY_OP = operationsByName(WEBSOCKET_BINDINGS, (b) => b.op);
