import 'reflect-metadata';
import { runService, takeBodiesAsText } from '@bookshop/platform';
import { AppModule } from './app/app.module';
import { renderRpcTransportError } from './app/jsonrpc-errors';

void runService({
  name: 'jsonrpc',
  renderTransportError: renderRpcTransportError,
  module: (config) => AppModule.forRoot(config),
  // The JSON-RPC layer parses bodies itself: malformed JSON is -32700, not HTTP 400.
  configure: takeBodiesAsText,
  bodyParser: false,
});
