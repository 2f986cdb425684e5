import { Catch } from '@nestjs/common';
import { TransportErrorFilter } from '@bookshop/platform';
import { renderGraphqlTransportError } from './graphql-errors';

/**
 * What fails before the protocol's handler runs (a body over 1 MiB, an unknown
 * route), classified by the platform and shown through this app's error table.
 */
@Catch()
export class GraphqlFilter extends TransportErrorFilter {
  constructor() {
    super('GraphQL', renderGraphqlTransportError);
  }
}
