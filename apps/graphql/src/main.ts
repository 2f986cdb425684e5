import 'reflect-metadata';
import { runService } from '@bookshop/platform';
import { AppModule } from './app/app.module';
import { renderGraphqlTransportError } from './app/graphql-errors';
import { loadGraphqlSettings } from './app/settings';

void runService({
  name: 'graphql',
  renderTransportError: renderGraphqlTransportError,
  defaultPort: 3003,
  settings: loadGraphqlSettings,
  module: (config, settings) => AppModule.forRoot(config, settings),
});
