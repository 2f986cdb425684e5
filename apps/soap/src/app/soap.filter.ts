import { Catch } from '@nestjs/common';
import { TransportErrorFilter } from '@bookshop/platform';
import { renderSoapTransportError } from './soap-errors';

/**
 * What fails before the protocol's handler runs (a body over 1 MiB, an unknown
 * route), classified by the platform and shown through this app's error table.
 */
@Catch()
export class SoapFilter extends TransportErrorFilter {
  constructor() {
    super('Soap', renderSoapTransportError);
  }
}
