import {
  failure,
  INTERNAL_ERROR,
  INVALID_REQUEST,
  isNotification,
  JsonRpcError,
  type JsonRpcRequest,
  type JsonRpcResponse,
  PARSE_ERROR,
  success,
  validateRequest,
} from './json-rpc';

/**
 * Calls one method; throws JsonRpcError (or anything, mapped by `toError`) to
 * fail. `batched` says whether the call came in a batch.
 */
export type Invoke<C> = (request: JsonRpcRequest, context: C, batched: boolean) => Promise<unknown>;

export interface JsonRpcServerOptions<C> {
  invoke: Invoke<C>;
  /** Turns whatever a method threw into a JSON-RPC error. */
  toError: (thrown: unknown, request: JsonRpcRequest) => JsonRpcError;
  /** Most calls one batch may hold; a larger batch gets one Invalid Request (default 100). */
  maxBatch?: number;
  /** Calls of one batch that run at once; the rest wait their turn (default 8). */
  maxConcurrentCalls?: number;
  /** The `data` of the protocol's own errors (-32700, -32600), given why; none by default. */
  protocolErrorData?: (reason?: string) => Record<string, unknown> | undefined;
}

/**
 * The transport-free JSON-RPC 2.0 server: text in, the reply out, or
 * `undefined` when nothing is to be sent (a notification, or a batch of only
 * notifications — HTTP answers 204 then).
 */
export class JsonRpcServer<C> {
  private readonly maxBatch: number;
  private readonly maxConcurrentCalls: number;
  private readonly protocolErrorData: (reason?: string) => Record<string, unknown> | undefined;

  constructor(private readonly options: JsonRpcServerOptions<C>) {
    this.maxBatch = options.maxBatch ?? 100;
    this.maxConcurrentCalls = options.maxConcurrentCalls ?? 8;
    this.protocolErrorData =
      options.protocolErrorData ?? ((reason) => (reason === undefined ? undefined : { reason }));
  }

  async handle(text: string, context: C): Promise<JsonRpcResponse | JsonRpcResponse[] | undefined> {
    let payload: unknown;
    try {
      payload = JSON.parse(text);
    } catch {
      // §5: a Parse error has the id Null.
      return failure(null, {
        code: PARSE_ERROR,
        message: 'Parse error',
        data: this.protocolErrorData(),
      });
    }

    if (!Array.isArray(payload)) return this.single(payload, context, false);

    // §6: an empty array is itself one Invalid Request, not an empty batch.
    if (payload.length === 0) {
      return failure(null, {
        code: INVALID_REQUEST,
        message: 'Invalid Request',
        data: this.protocolErrorData('empty batch'),
      });
    }
    if (payload.length > this.maxBatch) {
      return failure(null, {
        code: INVALID_REQUEST,
        message: 'Invalid Request',
        data: this.protocolErrorData(`a batch holds at most ${this.maxBatch} calls`),
      });
    }
    // §6: the calls of a batch may run in any order; replies come only for calls with an id.
    // A batch's calls run a few at a time, so one request cannot hold a hundred database reads at once.
    const replies = await mapWithLimit(payload, this.maxConcurrentCalls, (entry) =>
      this.single(entry, context, true),
    );
    const sent = replies.filter((reply): reply is JsonRpcResponse => reply !== undefined);
    return sent.length > 0 ? sent : undefined;
  }

  private async single(
    value: unknown,
    context: C,
    batched: boolean,
  ): Promise<JsonRpcResponse | undefined> {
    const validated = validateRequest(value);
    if (!validated.ok) {
      return failure(validated.id, {
        code: INVALID_REQUEST,
        message: 'Invalid Request',
        data: this.protocolErrorData(validated.reason),
      });
    }
    const { request } = validated;
    try {
      const result = await this.options.invoke(request, context, batched);
      return isNotification(request) ? undefined : success(request.id ?? null, result);
    } catch (thrown) {
      // §4.1: a notification is never answered, not even with an error.
      if (isNotification(request)) return undefined;
      let error: JsonRpcError;
      try {
        error = thrown instanceof JsonRpcError ? thrown : this.options.toError(thrown, request);
      } catch {
        error = new JsonRpcError(INTERNAL_ERROR, 'Internal error');
      }
      return failure(request.id ?? null, error.toObject());
    }
  }
}

/** `Promise.all(items.map(work))` with at most `limit` pieces of work running at once, results in order. */
async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
