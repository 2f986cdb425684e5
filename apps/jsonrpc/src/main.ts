import './tracing';
import 'reflect-metadata';
import { runService, takeBodiesAsText } from '@bookshop/platform';
import { AppModule } from './app/app.module';
import { renderRpcTransportError } from './app/jsonrpc-errors';

void runService({
  name: 'jsonrpc',
  landing: {
    protocol: 'JSON-RPC 2.0 over HTTP POST',
    endpoint: '/rpc',
    document: '/rpc',
    note: 'OpenRPC, by GET or by the rpc.discover method',
    view: '/documents/jsonrpc',
  },
  renderTransportError: renderRpcTransportError,
  module: (config) => AppModule.forRoot(config),
  // The JSON-RPC layer parses bodies itself: malformed JSON is -32700, not HTTP 400.
  configure: takeBodiesAsText,
  bodyParser: false,
});
