import './tracing';
import 'reflect-metadata';
import { runService } from '@bookshop/platform';
import { AppModule } from './app/app.module';
import { renderWsTransportError } from './app/websocket-errors';
import { BookshopWsAdapter } from './app/bookshop-ws.adapter';
import { loadWebsocketSettings } from './app/settings';

void runService({
  name: 'websocket',
  landing: {
    protocol: 'WebSocket (RFC 6455), JSON text frames',
    endpoint: '/ws',
    document: '/asyncapi.json',
    view: '/documents/websocket',
  },
  renderTransportError: renderWsTransportError,
  settings: loadWebsocketSettings,
  module: (config, settings) => AppModule.forRoot(config, settings),
  // The contract's frames ({id, op, params}) become Nest messages through the adapter's parser.
  configure: (app, _config, settings) => {
    app.useWebSocketAdapter(new BookshopWsAdapter(app, { maxInFlight: settings.maxInFlight }));
  },
});
