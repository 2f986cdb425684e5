import { Injectable, UseGuards, UseInterceptors } from '@nestjs/common';
import { Bookshop, type OperationName } from '@bookshop/domain';
import { type CallCredentials, OperationCallLogger, type OperationCall } from '@bookshop/platform';
import { SoapApiKeyGuard } from './soap-api-key.guard';

export interface SoapCall extends OperationCall {
  operation: OperationName;
  params: Record<string, unknown>;
}

/**
 * The use cases behind the SOAP operations. The endpoint wraps `call` with
 * Nest's external context, so the guard and the logging interceptor on this
 * class run for every SOAP request, in an `rpc` execution context.
 */
@Injectable()
@UseGuards(SoapApiKeyGuard)
@UseInterceptors(OperationCallLogger)
export class BookshopSoapService {
  constructor(private readonly bookshop: Bookshop) {}

  call(call: SoapCall, _credentials: CallCredentials): Promise<unknown> {
    return this.bookshop.execute(call.operation, call.params);
  }
}
