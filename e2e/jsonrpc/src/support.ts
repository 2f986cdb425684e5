import { freshTestDatabase, type RunningService, startService } from '@bookshop/testing';

export const KEY = 'e2e-key';

export interface RpcReply {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** The JSON-RPC service built from this tree, on a fresh database of the run's Postgres container. */
export async function startJsonRpc(env: Record<string, string> = {}) {
  const service: RunningService = await startService('jsonrpc', {
    env: { DATABASE_URL: await freshTestDatabase('jsonrpc'), API_KEYS: KEY, ...env },
  });

  /** POSTs raw text to /rpc. */
  const post = async (
    text: string,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ): Promise<RpcReply> => {
    // fetch labels a string body text/plain; bytes go out with no content type unless one is given.
    const response = await fetch(`${service.url}/rpc`, {
      method: 'POST',
      headers,
      body: Buffer.from(text),
    });
    const body = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text: body,
      body: body ? JSON.parse(body) : undefined,
    };
  };

  let nextId = 0;
  /** Calls one method and returns the whole response object. */
  const call = async (method: string, params?: unknown, options: { key?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.key) headers['authorization'] = `Bearer ${options.key}`;
    const reply = await post(
      JSON.stringify({
        jsonrpc: '2.0',
        method,
        ...(params === undefined ? {} : { params }),
        id: ++nextId,
      }),
      headers,
    );
    return reply.body;
  };

  /** Calls one method and returns its result, failing the test on an error. */
  const result = async (method: string, params?: unknown, options: { key?: string } = {}) => {
    const reply = await call(method, params, options);
    if (reply.error) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
    return reply.result;
  };

  return { service, post, call, result };
}

export { uniqueIsbn } from '@bookshop/testing';
