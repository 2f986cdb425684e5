import 'reflect-metadata';
import { runService } from '@bookshop/platform';
import { AppModule } from './app/app.module';
import { loadGraphqlSettings } from './app/settings';

void runService({
  name: 'graphql',
  defaultPort: 3003,
  settings: loadGraphqlSettings,
  module: (config, settings) => AppModule.forRoot(config, settings),
});
