import { Injectable, UseGuards } from '@nestjs/common';
import { CatalogueCalls } from '@bookshop/platform';
import { SoapApiKeyGuard } from './soap-api-key.guard';

/**
 * The use cases behind the SOAP operations. The endpoint calls them through
 * Nest's external context, so the guard on this class runs for every SOAP
 * request, in an `rpc` execution context.
 */
@Injectable()
@UseGuards(SoapApiKeyGuard)
export class BookshopSoapService extends CatalogueCalls {}
