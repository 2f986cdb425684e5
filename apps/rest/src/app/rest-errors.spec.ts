import { CONTRACT_ERROR_TABLE, numbersIn } from '@bookshop/domain/testing';
import { DomainError, ERROR_CODES } from '@bookshop/domain';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { PreconditionFailed } from './etag';
import { renderRestTransportError, REST_ERRORS, toProblem } from './rest-errors';

const request = () => ({ url: '/api/books/1?x=y', requestId: 'r-1' });

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

  it('answers a failed precondition 412 with the error’s code, a plain conflict 409', () => {
    const stale = DomainError.conflict('stale', [
      { path: 'expectedVersion', message: 'current version is 2' },
    ]);
    expect(toProblem(new PreconditionFailed(stale), request()).problem).toMatchObject({
      status: 412,
      code: 'CONFLICT',
      errors: [{ path: 'expectedVersion', message: 'current version is 2' }],
    });
    expect(toProblem(stale, request()).problem.status).toBe(409);
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
    expect(Object.keys(REST_ERRORS).sort()).toEqual([...ERROR_CODES].sort());
  });
});

describe('problem headers', () => {
  const request = { url: '/api/authors', requestId: 'r1' };

  it('say how to authenticate on 401 (RFC 9110 §11.6.1)', () => {
    const { problem, headers } = toProblem(new DomainError('UNAUTHENTICATED', 'key'), request);
    expect(problem.status).toBe(401);
    expect(headers).toEqual({ 'www-authenticate': 'Bearer realm="bookshop"' });
  });

  it('say when to retry on 429 and 503 (RFC 9110 §10.2.3)', () => {
    const limited = new DomainError('RATE_LIMITED', 'slow down', undefined, 7);
    expect(toProblem(limited, request)).toMatchObject({
      problem: { status: 429, code: 'RATE_LIMITED' },
      headers: { 'retry-after': '7' },
    });
    expect(toProblem(DomainError.unavailable(), request)).toMatchObject({
      problem: { status: 503, code: 'UNAVAILABLE' },
      headers: { 'retry-after': '1' },
    });
  });
});

describe('renderRestTransportError', () => {
  it('shows a router refusal as a problem with the transport status and the contract code', () => {
    const rendered = renderRestTransportError(
      { status: 414, error: new DomainError('BAD_REQUEST', 'too long') },
      { requestId: 'r2', path: '/api/books/x' },
    );
    expect(rendered).toMatchObject({ status: 414, contentType: 'application/problem+json' });
    expect(JSON.parse(rendered.body)).toMatchObject({
      status: 414,
      code: 'BAD_REQUEST',
      instance: '/api/books/x',
      requestId: 'r2',
    });
  });
});

describe("REST_ERRORS against the contract's error table", () => {
  it.each(CONTRACT_ERROR_TABLE)(
    'answers $code with the status the contract gives ($rest)',
    (row) => {
      // The first number is the code's status; a second (412) is the If-Match precondition, see etag.ts.
      expect(REST_ERRORS[row.code].status).toBe(numbersIn(row.rest)[0]);
    },
  );
});
