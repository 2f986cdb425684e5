import './tracing';
import 'reflect-metadata';
import { GraphQLModule } from '@nestjs/graphql';
import { runService } from '@bookshop/platform';
import { serveGraphiql } from './app/graphiql';
import { limitGraphqlWsFrames } from './app/graphql-limits';
import { AppModule } from './app/app.module';
import { renderGraphqlTransportError } from './app/graphql-errors';
import { loadGraphqlSettings } from './app/settings';

void runService({
  name: 'graphql',
  landing: {
    protocol: 'GraphQL over HTTP, subscriptions over graphql-ws',
    endpoint: '/graphql',
    document: '/graphql',
    note: 'introspection; the SDL is apps/graphql/schema.graphql',
    ui: '/graphql',
  },
  renderTransportError: renderGraphqlTransportError,
  settings: loadGraphqlSettings,
  module: (config, settings) => AppModule.forRoot(config, settings),
  configure: async (app, _config, settings) => {
    if (settings.ide) serveGraphiql(app);
    // The subscription server exists once the GraphQL module has started.
    await app.init();
    limitGraphqlWsFrames(app.get(GraphQLModule, { strict: false }));
  },
});
