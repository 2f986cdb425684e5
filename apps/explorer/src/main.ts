import 'reflect-metadata';
import { runService } from '@bookshop/platform';
import { AppModule } from './app/app.module';
import { renderExplorerTransportError } from './app/explorer-errors';
import { loadExplorerSettings } from './app/settings';

void runService({
  name: 'explorer',
  renderTransportError: renderExplorerTransportError,
  settings: loadExplorerSettings,
  module: (config, settings) => AppModule.forRoot(config, settings),
});
