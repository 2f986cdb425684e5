import { Catch } from '@nestjs/common';
import { TransportErrorFilter } from '@bookshop/platform';
import { renderRpcTransportError } from './jsonrpc-errors';

/**
 * What fails before the protocol's handler runs (a body over 1 MiB, an unknown
 * route), classified by the platform and shown through this app's error table.
 */
@Catch()
export class JsonrpcFilter extends TransportErrorFilter {
  constructor() {
    super('JsonRpc', renderRpcTransportError);
  }
}
