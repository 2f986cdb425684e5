import type {
  ErrorCode,
  ErrorDetails,
  OperationInput,
  OperationName,
  OperationResult,
} from '@bookshop/domain';
import {
  BookshopError,
  type ClientOptions,
  errorCode,
  ProtocolError,
  type WriteOptions,
} from './bookshop-client';
import { CatalogueClient } from './catalogue.client';

interface Response {
  jsonrpc?: string;
  id?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: { code?: unknown; details?: ErrorDetails } };
}

/** The standard codes of JSON-RPC 2.0 §5.1, for an error without the contract's `data.code`. */
const STANDARD: Record<number, ErrorCode> = {
  [-32700]: 'BAD_REQUEST',
  [-32600]: 'BAD_REQUEST',
  [-32601]: 'BAD_REQUEST',
  [-32602]: 'VALIDATION_FAILED',
  [-32603]: 'INTERNAL',
};

/**
 * JSON-RPC 2.0 over HTTP: `POST /rpc` with `{jsonrpc, id, method, params}`,
 * the method being the catalogue name and the params by name. The reply is
 * HTTP 200 whether the call failed or not; `error.data.code` is the
 * contract's code.
 */
export class JsonRpcClient extends CatalogueClient {
  readonly protocol = 'jsonrpc';
  private nextId = 0;

  constructor(private readonly options: ClientOptions) {
    super();
  }

  async call<N extends OperationName>(
    method: N,
    params: OperationInput<N>,
    { idempotencyKey }: WriteOptions = {},
  ): Promise<OperationResult<N>> {
    const id = ++this.nextId;
    const response = await fetch(new URL('/rpc', this.options.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        // A lone call is keyed by the header alone, so a retry may carry a new id.
        ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
    });
    let reply: Response;
    try {
      reply = (await response.json()) as Response;
    } catch {
      throw new ProtocolError(`HTTP ${response.status} without a JSON-RPC response`);
    }
    if (reply.jsonrpc !== '2.0' || (reply.id !== id && reply.id !== null)) {
      throw new ProtocolError(`Not the response to call ${id}: ${JSON.stringify(reply)}`);
    }
    if (reply.error) {
      const { code, message, data } = reply.error;
      throw new BookshopError(
        data?.code !== undefined ? errorCode(data.code) : (STANDARD[code] ?? 'INTERNAL'),
        message,
        data?.details,
      );
    }
    return reply.result as OperationResult<N>;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
