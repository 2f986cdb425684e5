import { CONTRACT_ERROR_TABLE, numbersIn } from '@bookshop/domain/testing';
import { DomainError, ERROR_CODES } from '@bookshop/domain';
import { GraphQLError } from 'graphql';
import {
  formatGraphqlError,
  GRAPHQL_ERRORS,
  nullIfNotFound,
  renderGraphqlTransportError,
} from './graphql-errors';

const fromResolver = (original: unknown) =>
  new GraphQLError('raw', { originalError: original as Error, path: ['book'] });

describe('formatGraphqlError', () => {
  const unexpected: unknown[] = [];
  const format = (error: GraphQLError) =>
    formatGraphqlError(error.toJSON(), error, (e) => unexpected.push(e));

  beforeEach(() => unexpected.splice(0));

  it('gives a domain error its code from the table and its details', () => {
    const error = fromResolver(
      DomainError.outOfStock([{ bookId: 'b', requested: 2, available: 1 }]),
    );
    expect(format(error)).toEqual({
      message: 'One line asks for more copies than are in stock',
      path: ['book'],
      locations: undefined,
      extensions: { code: 'OUT_OF_STOCK', details: [{ bookId: 'b', requested: 2, available: 1 }] },
    });
    expect(format(fromResolver(DomainError.invalidField('name', 'bad'))).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      details: [{ path: 'name', message: 'bad' }],
    });
  });

  it('masks anything else as INTERNAL_SERVER_ERROR and reports it whole', () => {
    const boom = new Error('connection to 10.0.0.3 refused');
    const formatted = format(fromResolver(boom));
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(formatted)).not.toContain('10.0.0.3');
    expect(unexpected).toEqual([boom]);
  });

  it('passes request-level errors with their own code', () => {
    const parse = new GraphQLError('Syntax Error: Unexpected <EOF>.', {
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
    expect(format(parse).extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
    const limit = new GraphQLError('Syntax Error: Query depth limit of 10 exceeded, found 11.');
    expect(format(limit).extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(unexpected).toEqual([]);
  });

  it('has an extensions.code for every contract code', () => {
    expect(Object.keys(GRAPHQL_ERRORS).sort()).toEqual([...ERROR_CODES].sort());
  });
});

describe('nullIfNotFound', () => {
  it('turns NOT_FOUND into null and lets every other failure through', async () => {
    await expect(
      nullIfNotFound(Promise.reject(DomainError.notFound('book', 'x'))),
    ).resolves.toBeNull();
    await expect(nullIfNotFound(Promise.reject(DomainError.conflict('c')))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(nullIfNotFound(Promise.resolve(1))).resolves.toBe(1);
  });
});

describe("GRAPHQL_ERRORS against the contract's error table", () => {
  it.each(CONTRACT_ERROR_TABLE)('carries $code as $graphql', (row) => {
    const requestLevel = /^\(request-level (\d+)\)$/.exec(row.graphql);
    if (requestLevel) {
      // A request-level error: the HTTP status says it, the body carries the contract's code.
      const status = numbersIn(row.graphql)[0]!;
      const rendered = renderGraphqlTransportError(
        { status, error: new DomainError(row.code, 'm') },
        { path: '/graphql', requestId: 'r' },
      );
      expect(rendered.status).toBe(status);
      expect(JSON.parse(rendered.body).errors[0].extensions.code).toBe(row.code);
    } else {
      expect(GRAPHQL_ERRORS[row.code]).toBe(row.graphql);
    }
  });
});
