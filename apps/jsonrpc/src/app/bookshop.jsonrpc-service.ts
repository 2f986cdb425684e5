import { Injectable, UseGuards } from '@nestjs/common';
import { ApiKeyGuard, CatalogueCalls } from '@bookshop/platform';

/**
 * Every catalogue operation as one Nest handler. The JSON-RPC endpoint calls
 * it through Nest's external context, so the guard on this class runs for
 * every call of a batch, in an `rpc` execution context.
 */
@Injectable()
@UseGuards(ApiKeyGuard)
export class BookshopJsonrpcService extends CatalogueCalls {}
