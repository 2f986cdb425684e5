import { Injectable, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiKeyGuard, CatalogueCalls, OperationCallLogger } from '@bookshop/platform';

/**
 * Every catalogue operation as one Nest handler. The JSON-RPC endpoint calls
 * it through Nest's external context, so the guard and interceptor on this
 * class run for every call of a batch, in an `rpc` execution context.
 */
@Injectable()
@UseGuards(ApiKeyGuard)
@UseInterceptors(OperationCallLogger)
export class BookshopJsonrpcService extends CatalogueCalls {}
