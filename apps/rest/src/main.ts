import 'reflect-metadata';
import { runService } from '@bookshop/platform';
import { AppModule } from './app/app.module';
import { renderRestTransportError } from './app/rest-errors';
import { configureRest } from './app/configure';

void runService({
  name: 'rest',
  renderTransportError: renderRestTransportError,
  module: (config) => AppModule.forRoot(config),
  configure: configureRest,
  bodyParser: false,
});
