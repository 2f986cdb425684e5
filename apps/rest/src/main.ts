import './tracing';
import 'reflect-metadata';
import { runService } from '@bookshop/platform';
import { AppModule } from './app/app.module';
import { renderRestTransportError } from './app/rest-errors';
import { configureRest } from './app/configure';
import { loadRestSettings } from './app/http-cache';

void runService({
  name: 'rest',
  landing: {
    protocol: 'REST: HTTP and JSON, errors as RFC 9457 problems',
    endpoint: '/api',
    document: '/api/openapi.json',
    ui: '/api/docs',
  },
  renderTransportError: renderRestTransportError,
  settings: loadRestSettings,
  module: (config) => AppModule.forRoot(config),
  configure: configureRest,
  bodyParser: false,
});
