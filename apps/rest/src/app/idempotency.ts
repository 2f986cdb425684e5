import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import {
  type Bookshop,
  type IdempotencyKey,
  type OperationName,
  type OperationResult,
} from '@bookshop/domain';
import { idempotencyOf } from '@bookshop/platform';
import { type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * A write's `Idempotency-Key` header (CONTRACT.md, "Safe retries"), owned by
 * the API key in its `Authorization` header. Repeated headers arrive joined
 * with ", ", which no valid key contains, so they fail validation.
 */
export const Idempotency = createParamDecorator(
  (_: unknown, context: ExecutionContext): IdempotencyKey | undefined => {
    const { headers } = context.switchToHttp().getRequest<FastifyRequest>();
    const key = headers['idempotency-key'];
    return idempotencyOf(key === undefined ? undefined : { key: [key].flat().join(', ') }, {
      authorization: headers.authorization,
    });
  },
);

/**
 * Runs a write under its idempotency key; a repeat gets the first result again,
 * with the same status, marked `Idempotent-Replayed: true`.
 */
export async function once<N extends OperationName>(
  bookshop: Bookshop,
  reply: FastifyReply,
  name: N,
  input: unknown,
  idempotency: IdempotencyKey | undefined,
): Promise<OperationResult<N>> {
  const { result, replayed } = await bookshop.executeOnce(name, input, idempotency);
  if (replayed) void reply.header('idempotent-replayed', 'true');
  return result;
}
