import 'reflect-metadata';
import { runService } from '@bookshop/platform';
import { AppModule } from './app/app.module';
import { configureJsonRpc } from './app/configure';

void runService({
  name: 'jsonrpc',
  defaultPort: 3004,
  module: (config) => AppModule.forRoot(config),
  configure: configureJsonRpc,
  bodyParser: false,
});
