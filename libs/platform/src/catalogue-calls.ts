import { Injectable } from '@nestjs/common';
import { type ExternalContextCreator } from '@nestjs/core';
import { Bookshop, type IdempotencyKey, type OperationName } from '@bookshop/domain';
import { type CallCredentials, type OperationCall } from './api-key.guard';
import { bearerToken, keyOwner } from './api-keys';

/** One call of a catalogue operation through a non-HTTP dispatch. */
export interface CatalogueCall extends OperationCall {
  operation: OperationName;
  params: unknown;
  /** The idempotency key the transport received for this call (CONTRACT.md, "Safe retries"). */
  idempotencyKey?: ReceivedIdempotencyKey;
}

/** An idempotency key as a transport received it, and the call within the request it covers. */
export interface ReceivedIdempotencyKey {
  key: string;
  call?: string;
}

/**
 * The idempotency key of a call with these credentials, owned by the API key
 * that authorised it. Without an API key (a read) there is nothing to own
 * it, and reads ignore keys anyway.
 */
export function idempotencyOf(
  received: ReceivedIdempotencyKey | undefined,
  credentials: Pick<CallCredentials, 'authorization' | 'apiKey'>,
): IdempotencyKey | undefined {
  if (received === undefined) return undefined;
  const apiKey = credentials.apiKey ?? bearerToken(credentials.authorization);
  return apiKey === undefined ? undefined : { ...received, owner: keyOwner(apiKey) };
}

/**
 * Every catalogue operation as one Nest handler, for transports that
 * dispatch calls themselves (a JSON-RPC batch, a SOAP envelope). A transport
 * subclasses it with its own `@UseGuards`, and calls it through
 * `callThroughNest`.
 */
@Injectable()
export class CatalogueCalls {
  constructor(private readonly bookshop: Bookshop) {}

  call(call: CatalogueCall, credentials: CallCredentials): Promise<unknown> {
    return this.bookshop.execute(
      call.operation,
      call.params,
      idempotencyOf(call.idempotencyKey, credentials),
    );
  }
}

/**
 * `handler.call` wrapped in Nest's external context, so that the guards and
 * interceptors declared on the handler's class run for every call, in an
 * `rpc` execution context whose data is the call and whose context is the
 * credentials.
 */
export function callThroughNest(
  creator: ExternalContextCreator,
  handler: CatalogueCalls,
): (call: CatalogueCall, credentials: CallCredentials) => Promise<unknown> {
  return creator.create(
    handler,
    (...args: unknown[]) => handler.call(args[0] as CatalogueCall, args[1] as CallCredentials),
    'call',
    undefined,
    undefined,
    undefined,
    undefined,
    { guards: true, interceptors: true, filters: false },
    'rpc',
  );
}
