import './tracing';
import 'reflect-metadata';
import { runService, takeBodiesAsText } from '@bookshop/platform';
import { AppModule } from './app/app.module';
import { renderSoapTransportError } from './app/soap-errors';
import { loadSoapSettings } from './app/settings';

void runService({
  name: 'soap',
  landing: {
    protocol: 'SOAP 1.1, document/literal, WS-Security UsernameToken for writes',
    endpoint: '/soap',
    document: '/soap?wsdl',
    view: '/documents/soap',
  },
  renderTransportError: renderSoapTransportError,
  settings: loadSoapSettings,
  module: (config, settings) => AppModule.forRoot(config, settings),
  // The endpoint reads every body as an envelope: what is not one gets a SOAP fault, not a 415.
  configure: takeBodiesAsText,
  bodyParser: false,
});
