import { DomainError } from '@bookshop/domain';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { REST_ERRORS, toProblem } from './rest-errors';

const request = (headers: Record<string, unknown> = {}) => ({
  url: '/api/books/1?x=y',
  headers,
  requestId: 'r-1',
});

describe('toProblem', () => {
  it('keeps a domain error’s code, message and details', () => {
    const { problem, unexpected } = toProblem(
      DomainError.validation([{ path: 'lines[0].quantity', message: 'too small' }]),
      request(),
    );
    expect(unexpected).toBe(false);
    expect(problem).toEqual({
      type: 'urn:bookshop:problem:validation-failed',
      title: 'Validation failed',
      status: 422,
      detail: 'The input is not valid',
      instance: '/api/books/1',
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'lines[0].quantity', message: 'too small' }],
      requestId: 'r-1',
    });
  });

  it('answers a stale version 412 only when If-Match asked for it', () => {
    const stale = DomainError.conflict('stale', [
      { path: 'expectedVersion', message: 'current version is 2' },
    ]);
    expect(toProblem(stale, request({ 'if-match': '"1"' })).problem.status).toBe(412);
    expect(toProblem(stale, request()).problem.status).toBe(409);
    expect(
      toProblem(DomainError.conflict('isbn taken'), request({ 'if-match': '"1"' })).problem.status,
    ).toBe(409);
  });

  it('hides an unexpected error behind INTERNAL, leaking nothing of it', () => {
    const { problem, unexpected } = toProblem(
      new Error('relation "books" does not exist at SELECT *'),
      request(),
    );
    expect(unexpected).toBe(true);
    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(JSON.stringify(problem)).not.toMatch(/relation|SELECT|at /);
  });

  it('maps the transport’s own errors to contract codes', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x'), request()).problem).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
    });
    expect(toProblem(new BadRequestException('bad'), request()).problem).toMatchObject({
      status: 400,
      code: 'BAD_REQUEST',
    });
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413 });
    expect(toProblem(tooLarge, request()).problem).toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
    const media = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 });
    expect(toProblem(media, request()).problem).toMatchObject({ status: 415, code: 'BAD_REQUEST' });
  });

  it('has a status for every contract code', () => {
    expect(Object.keys(REST_ERRORS)).toHaveLength(9);
  });
});
