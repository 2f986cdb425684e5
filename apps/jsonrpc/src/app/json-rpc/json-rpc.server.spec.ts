import { JsonRpcError, type JsonRpcRequest } from './json-rpc';
import { JsonRpcServer } from './json-rpc.server';

/**
 * The clauses of the JSON-RPC 2.0 specification, each by its section, on a
 * server with the methods of the specification's own examples (§7).
 */
describe('JsonRpcServer', () => {
  const calls: string[] = [];
  const server = new JsonRpcServer<{ user: string }>({
    maxBatch: 100,
    protocolErrorData: (reason) => ({ code: 'BAD_REQUEST', ...(reason ? { reason } : {}) }),
    invoke: async (request: JsonRpcRequest, context) => {
      calls.push(request.method);
      const params = request.params as Record<string, number> | number[] | undefined;
      switch (request.method) {
        case 'subtract':
          return Array.isArray(params)
            ? params[0]! - params[1]!
            : params!['minuend']! - params!['subtrahend']!;
        case 'sum':
          return (params as number[]).reduce((a, b) => a + b, 0);
        case 'get_data':
          return ['hello', 5];
        case 'whoami':
          return context.user;
        case 'update':
        case 'notify_hello':
        case 'notify_sum':
          return null;
        case 'explode':
          throw new Error('secret internals');
        default:
          throw new JsonRpcError(-32601, 'Method not found');
      }
    },
    toError: () => new JsonRpcError(-32603, 'Internal error'),
  });
  const handle = (body: unknown) =>
    server.handle(typeof body === 'string' ? body : JSON.stringify(body), { user: 'u1' });

  beforeEach(() => calls.splice(0));

  it('§7 calls with positional parameters', async () => {
    expect(await handle({ jsonrpc: '2.0', method: 'subtract', params: [42, 23], id: 1 })).toEqual({
      jsonrpc: '2.0',
      result: 19,
      id: 1,
    });
    expect(await handle({ jsonrpc: '2.0', method: 'subtract', params: [23, 42], id: 2 })).toEqual({
      jsonrpc: '2.0',
      result: -19,
      id: 2,
    });
  });

  it('§7 calls with named parameters, in any order', async () => {
    expect(
      await handle({
        jsonrpc: '2.0',
        method: 'subtract',
        params: { subtrahend: 23, minuend: 42 },
        id: 3,
      }),
    ).toEqual({
      jsonrpc: '2.0',
      result: 19,
      id: 3,
    });
  });

  it('§4.1 runs a notification and answers nothing', async () => {
    expect(
      await handle({ jsonrpc: '2.0', method: 'update', params: [1, 2, 3, 4, 5] }),
    ).toBeUndefined();
    expect(calls).toEqual(['update']);
  });

  it('§4.1 answers nothing to a notification even when it fails', async () => {
    expect(await handle({ jsonrpc: '2.0', method: 'foobar' })).toBeUndefined();
    expect(await handle({ jsonrpc: '2.0', method: 'explode' })).toBeUndefined();
  });

  it('§4 treats "id": null as a request, not a notification', async () => {
    expect(await handle({ jsonrpc: '2.0', method: 'get_data', id: null })).toEqual({
      jsonrpc: '2.0',
      result: ['hello', 5],
      id: null,
    });
  });

  it('§4 echoes string and number ids exactly', async () => {
    expect(await handle({ jsonrpc: '2.0', method: 'get_data', id: 'abc' })).toMatchObject({
      id: 'abc',
    });
    expect(await handle({ jsonrpc: '2.0', method: 'get_data', id: 7.5 })).toMatchObject({
      id: 7.5,
    });
  });

  it('§5.1 answers a missing method with -32601', async () => {
    expect(await handle({ jsonrpc: '2.0', method: 'foobar', id: '1' })).toEqual({
      jsonrpc: '2.0',
      error: { code: -32601, message: 'Method not found' },
      id: '1',
    });
  });

  it('§5.1 answers invalid JSON with -32700 and id null', async () => {
    expect(await handle('{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]')).toEqual({
      jsonrpc: '2.0',
      error: { code: -32700, message: 'Parse error', data: { code: 'BAD_REQUEST' } },
      id: null,
    });
  });

  it('§5.1 answers an invalid request object with -32600 and id null', async () => {
    expect(await handle({ jsonrpc: '2.0', method: 1, params: 'bar' })).toEqual({
      jsonrpc: '2.0',
      error: {
        code: -32600,
        message: 'Invalid Request',
        data: { code: 'BAD_REQUEST', reason: 'method must be a string' },
      },
      id: null,
    });
  });

  it.each([
    [{ method: 'sum', id: 1 }, 'jsonrpc must be exactly "2.0"'],
    [{ jsonrpc: '1.0', method: 'sum', id: 1 }, 'jsonrpc must be exactly "2.0"'],
    [{ jsonrpc: 2, method: 'sum', id: 1 }, 'jsonrpc must be exactly "2.0"'],
    [{ jsonrpc: '2.0', id: 1 }, 'method must be a string'],
    [{ jsonrpc: '2.0', method: 'sum', params: 'x', id: 1 }, 'params must be an object or an array'],
    [
      { jsonrpc: '2.0', method: 'sum', params: null, id: 1 },
      'params must be an object or an array',
    ],
  ])('§4 refuses %j as an Invalid Request, keeping a readable id', async (request, reason) => {
    expect(await handle(request)).toEqual({
      jsonrpc: '2.0',
      error: { code: -32600, message: 'Invalid Request', data: { code: 'BAD_REQUEST', reason } },
      id: 1,
    });
  });

  it('§4 refuses an id that is an object or a boolean, answering with id null', async () => {
    for (const id of [{}, true, []]) {
      expect(await handle({ jsonrpc: '2.0', method: 'sum', params: [1], id })).toMatchObject({
        error: { code: -32600 },
        id: null,
      });
    }
  });

  it('§6 answers a batch with an invalid JSON body with one -32700', async () => {
    expect(
      await handle(
        '[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},{"jsonrpc": "2.0", "method"]',
      ),
    ).toEqual({
      jsonrpc: '2.0',
      error: { code: -32700, message: 'Parse error', data: { code: 'BAD_REQUEST' } },
      id: null,
    });
  });

  it('§6 answers an empty array with one -32600, not an array', async () => {
    expect(await handle([])).toEqual({
      jsonrpc: '2.0',
      error: {
        code: -32600,
        message: 'Invalid Request',
        data: { code: 'BAD_REQUEST', reason: 'empty batch' },
      },
      id: null,
    });
  });

  it('§6 answers each invalid member of a batch with its own -32600', async () => {
    const reply = await handle([1]);
    expect(reply).toEqual([
      expect.objectContaining({ error: expect.objectContaining({ code: -32600 }), id: null }),
    ]);
    expect(await handle([1, 2, 3])).toHaveLength(3);
  });

  it('§6 answers a batch of one with an array of one', async () => {
    expect(await handle([{ jsonrpc: '2.0', method: 'get_data', id: 9 }])).toEqual([
      { jsonrpc: '2.0', result: ['hello', 5], id: 9 },
    ]);
  });

  it('§6 answers a mixed batch for the calls with ids only', async () => {
    const reply = (await handle([
      { jsonrpc: '2.0', method: 'sum', params: [1, 2, 4], id: '1' },
      { jsonrpc: '2.0', method: 'notify_hello', params: [7] },
      { jsonrpc: '2.0', method: 'subtract', params: [42, 23], id: '2' },
      { foo: 'boo' },
      { jsonrpc: '2.0', method: 'foo.get', params: { name: 'myself' }, id: '5' },
      { jsonrpc: '2.0', method: 'get_data', id: '9' },
    ])) as unknown[];
    expect(reply).toHaveLength(5);
    expect(reply).toEqual(
      expect.arrayContaining([
        { jsonrpc: '2.0', result: 7, id: '1' },
        { jsonrpc: '2.0', result: 19, id: '2' },
        {
          jsonrpc: '2.0',
          error: { code: -32600, message: 'Invalid Request', data: expect.anything() },
          id: null,
        },
        { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: '5' },
        { jsonrpc: '2.0', result: ['hello', 5], id: '9' },
      ]),
    );
  });

  it('§6 answers nothing to a batch of notifications only', async () => {
    expect(
      await handle([
        { jsonrpc: '2.0', method: 'notify_sum', params: [1, 2, 4] },
        { jsonrpc: '2.0', method: 'notify_hello', params: [7] },
      ]),
    ).toBeUndefined();
    expect(calls).toEqual(['notify_sum', 'notify_hello']);
  });

  it('limits a batch to 100 calls: 101 is one -32600 with id null, and nothing runs', async () => {
    const call = (id: number) => ({ jsonrpc: '2.0', method: 'get_data', id });
    expect(await handle(Array.from({ length: 100 }, (_, i) => call(i)))).toHaveLength(100);
    calls.splice(0);
    expect(await handle(Array.from({ length: 101 }, (_, i) => call(i)))).toEqual({
      jsonrpc: '2.0',
      error: {
        code: -32600,
        message: 'Invalid Request',
        data: { code: 'BAD_REQUEST', reason: 'a batch holds at most 100 calls' },
      },
      id: null,
    });
    expect(calls).toEqual([]);
  });

  it('hands every call the transport context', async () => {
    expect(await handle({ jsonrpc: '2.0', method: 'whoami', id: 1 })).toEqual({
      jsonrpc: '2.0',
      result: 'u1',
      id: 1,
    });
  });

  it('maps an unexpected failure through toError, leaking nothing', async () => {
    const reply = await handle({ jsonrpc: '2.0', method: 'explode', id: 1 });
    expect(reply).toEqual({
      jsonrpc: '2.0',
      error: { code: -32603, message: 'Internal error' },
      id: 1,
    });
    expect(JSON.stringify(reply)).not.toContain('secret');
  });

  it('still answers -32603 when toError itself fails', async () => {
    const fragile = new JsonRpcServer<null>({
      invoke: async () => {
        throw new Error('x');
      },
      toError: () => {
        throw new Error('mapping broke');
      },
    });
    expect(await fragile.handle('{"jsonrpc":"2.0","method":"m","id":1}', null)).toEqual({
      jsonrpc: '2.0',
      error: { code: -32603, message: 'Internal error' },
      id: 1,
    });
  });
});

describe('JsonRpcServer batches under load', () => {
  it('runs at most maxConcurrentCalls of a batch at once, and answers in the batch order', async () => {
    let running = 0;
    let most = 0;
    const server = new JsonRpcServer<undefined>({
      maxConcurrentCalls: 3,
      invoke: async (request) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running -= 1;
        return request.id;
      },
      toError: () => new JsonRpcError(-32603, 'Internal error'),
    });
    const batch = Array.from({ length: 20 }, (_, id) => ({ jsonrpc: '2.0', method: 'm', id }));
    const replies = (await server.handle(JSON.stringify(batch), undefined)) as { result: number }[];
    expect(most).toBe(3);
    expect(replies.map((reply) => reply.result)).toEqual(batch.map((call) => call.id));
  });
});
