import { Injectable, UseGuards, UseInterceptors } from '@nestjs/common';
import { CatalogueCalls, OperationCallLogger } from '@bookshop/platform';
import { SoapApiKeyGuard } from './soap-api-key.guard';

/**
 * The use cases behind the SOAP operations. The endpoint calls them through
 * Nest's external context, so the guard and the logging interceptor on this
 * class run for every SOAP request, in an `rpc` execution context.
 */
@Injectable()
@UseGuards(SoapApiKeyGuard)
@UseInterceptors(OperationCallLogger)
export class BookshopSoapService extends CatalogueCalls {}
