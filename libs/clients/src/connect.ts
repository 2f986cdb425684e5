import { type BookshopClient, type ClientOptions, type Protocol } from './bookshop-client';
import { GraphqlClient } from './graphql.client';
import { JsonRpcClient } from './jsonrpc.client';
import { RestClient, type RestFormat } from './rest.client';
import { SoapClient } from './soap.client';
import { WebSocketClient } from './websocket.client';

/**
 * A client for one protocol's service (SOAP reads the WSDL first, hence the
 * promise). `format` is the REST client's representation (JSON by default);
 * the other protocols have one each.
 */
export function connect(
  protocol: Protocol,
  options: ClientOptions & { format?: RestFormat },
): Promise<BookshopClient> {
  switch (protocol) {
    case 'rest':
      return Promise.resolve(new RestClient(options));
    case 'soap':
      return SoapClient.connect(options);
    case 'graphql':
      return Promise.resolve(new GraphqlClient(options));
    case 'jsonrpc':
      return Promise.resolve(new JsonRpcClient(options));
    case 'websocket':
      return Promise.resolve(new WebSocketClient(options));
  }
}
