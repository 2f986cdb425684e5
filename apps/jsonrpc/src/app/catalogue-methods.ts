import { Injectable, UseGuards, UseInterceptors } from '@nestjs/common';
import { Bookshop, type OperationName } from '@bookshop/domain';
import {
  ApiKeyGuard,
  type CallCredentials,
  OperationCallLogger,
  type OperationCall,
} from '@bookshop/platform';

export interface CatalogueCall extends OperationCall {
  operation: OperationName;
  params: unknown;
}

/**
 * Every catalogue operation as one Nest handler. The JSON-RPC module wraps
 * `call` with Nest's external context, so the guards and interceptors on this
 * class run for every call of a batch, in an `rpc` execution context.
 */
@Injectable()
@UseGuards(ApiKeyGuard)
@UseInterceptors(OperationCallLogger)
export class CatalogueMethods {
  constructor(private readonly bookshop: Bookshop) {}

  call(call: CatalogueCall, _credentials: CallCredentials): Promise<unknown> {
    return this.bookshop.execute(call.operation, call.params);
  }
}
