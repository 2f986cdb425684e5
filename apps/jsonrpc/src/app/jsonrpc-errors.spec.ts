import { CONTRACT_ERROR_TABLE, numbersIn } from '@bookshop/domain/testing';
import { DomainError, ERROR_CODES } from '@bookshop/domain';
import { RPC_ERRORS, toRpcError } from './jsonrpc-errors';

describe('toRpcError', () => {
  it.each([
    ['VALIDATION_FAILED', -32602],
    ['UNAUTHENTICATED', -32001],
    ['NOT_FOUND', -32004],
    ['CONFLICT', -32009],
    ['OUT_OF_STOCK', -32010],
    ['RATE_LIMITED', -32029],
    ['UNAVAILABLE', -32030],
    ['INTERNAL', -32603],
  ] as const)('maps %s to %i with the string code in data', (code, rpcCode) => {
    const { error } = toRpcError(new DomainError(code, 'message', [{ path: 'x', message: 'm' }]));
    expect(error.toObject()).toEqual({
      code: rpcCode,
      message: 'message',
      data: { code, details: [{ path: 'x', message: 'm' }] },
    });
  });

  it('hides an unexpected error as -32603 without internals', () => {
    const { error, unexpected } = toRpcError(
      new TypeError('cannot read x of undefined at db.ts:3'),
    );
    expect(unexpected).toBe(true);
    expect(error.code).toBe(-32603);
    expect(JSON.stringify(error.toObject())).not.toContain('db.ts');
  });

  it('has a JSON-RPC code for every contract code', () => {
    expect(Object.keys(RPC_ERRORS).sort()).toEqual([...ERROR_CODES].sort());
  });
});

describe("RPC_ERRORS against the contract's error table", () => {
  it.each(CONTRACT_ERROR_TABLE)('answers $code with a code of $jsonrpc', (row) => {
    // BAD_REQUEST is -32600 from the table; -32700 (Parse error) comes from the protocol layer.
    expect(numbersIn(row.jsonrpc)).toContain(RPC_ERRORS[row.code].code);
  });
});
