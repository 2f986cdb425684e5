import { type ErrorCode } from '../errors';

/** One row of CONTRACT.md's "Errors" table, as the contract writes it. */
export interface ContractErrorRow {
  code: ErrorCode;
  rest: string;
  soap: string;
  graphql: string;
  jsonrpc: string;
  websocket: string;
}

/**
 * CONTRACT.md's error table, row by row, cell by cell as written there. A
 * domain test holds this copy to the contract (when the contract sits beside
 * the repository); each app's `<p>-errors.spec.ts` holds its table to it.
 */
export const CONTRACT_ERROR_TABLE: readonly ContractErrorRow[] = [
  {
    code: 'BAD_REQUEST',
    rest: '400',
    soap: 'soap:Client',
    graphql: '(request-level 400)',
    jsonrpc: '−32700 / −32600',
    websocket: 'BAD_REQUEST',
  },
  {
    code: 'VALIDATION_FAILED',
    rest: '422',
    soap: 'soap:Client',
    graphql: 'BAD_USER_INPUT',
    jsonrpc: '−32602',
    websocket: 'VALIDATION_FAILED',
  },
  {
    code: 'UNAUTHENTICATED',
    rest: '401',
    soap: 'soap:Client',
    graphql: 'UNAUTHENTICATED',
    jsonrpc: '−32001',
    websocket: 'UNAUTHENTICATED',
  },
  {
    code: 'NOT_FOUND',
    rest: '404',
    soap: 'soap:Client',
    graphql: 'NOT_FOUND',
    jsonrpc: '−32004',
    websocket: 'NOT_FOUND',
  },
  {
    code: 'CONFLICT',
    rest: '409 (412 on a failed `If-Match`)',
    soap: 'soap:Client',
    graphql: 'CONFLICT',
    jsonrpc: '−32009',
    websocket: 'CONFLICT',
  },
  {
    code: 'OUT_OF_STOCK',
    rest: '409',
    soap: 'soap:Client',
    graphql: 'OUT_OF_STOCK',
    jsonrpc: '−32010',
    websocket: 'OUT_OF_STOCK',
  },
  {
    code: 'PAYLOAD_TOO_LARGE',
    rest: '413',
    soap: 'soap:Client',
    graphql: '(request-level 413)',
    jsonrpc: '−32600',
    websocket: 'close 1009',
  },
  {
    code: 'RATE_LIMITED',
    rest: '429',
    soap: 'soap:Server',
    graphql: 'RATE_LIMITED',
    jsonrpc: '−32029',
    websocket: 'RATE_LIMITED',
  },
  {
    code: 'UNAVAILABLE',
    rest: '503',
    soap: 'soap:Server',
    graphql: 'UNAVAILABLE',
    jsonrpc: '−32030',
    websocket: 'UNAVAILABLE',
  },
  {
    code: 'INTERNAL',
    rest: '500',
    soap: 'soap:Server',
    graphql: 'INTERNAL_SERVER_ERROR',
    jsonrpc: '−32603',
    websocket: 'INTERNAL',
  },
];

/** The numbers of a cell (`409 (412 on …)` → [409, 412]; `−32700 / −32600` → [-32700, -32600]). */
export function numbersIn(cell: string): number[] {
  return [...cell.replace(/−/g, '-').matchAll(/-?\d+/g)].map((match) => Number(match[0]));
}
