import { Injectable } from '@nestjs/common';
import { type ExternalContextCreator } from '@nestjs/core';
import { Bookshop, type OperationName } from '@bookshop/domain';
import { type CallCredentials, type OperationCall } from './api-key.guard';

/** One call of a catalogue operation through a non-HTTP dispatch. */
export interface CatalogueCall extends OperationCall {
  operation: OperationName;
  params: unknown;
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

  call(call: CatalogueCall, _credentials: CallCredentials): Promise<unknown> {
    return this.bookshop.execute(call.operation, call.params);
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
