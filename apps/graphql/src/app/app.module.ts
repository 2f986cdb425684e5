import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule, type GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import { type IncomingMessage } from 'node:http';
import { type ServerOptions } from 'graphql-ws';
import { BatchReads, DomainError } from '@bookshop/domain';
import { GraphQLError, OperationTypeNode } from 'graphql';
import {
  ApiKeys,
  bearerToken,
  clientAddressOf,
  PlatformModule,
  type ServiceConfig,
  Telemetry,
} from '@bookshop/platform';
import { trace } from '@opentelemetry/api';
import { AuthorsResolver } from './authors.resolver';
import { BooksResolver } from './books.resolver';
import { EventsResolver } from './events.resolver';
import { GraphqlApiKeyGuard } from './graphql-api-key.guard';
import { formatGraphqlError } from './graphql-errors';
import { subscriptionOverHttpError, validateWithLimits, validationRules } from './graphql-limits';
import { createLoaders, type GraphqlContext } from './loaders';
import { OrderLinesResolver, OrdersResolver } from './orders.resolver';
import { type GraphqlSettings } from './settings';
import { GraphqlFilter } from './graphql.filter';
import { checkKeyedOperation } from './idempotency';

export const RESOLVERS = [
  AuthorsResolver,
  BooksResolver,
  OrdersResolver,
  OrderLinesResolver,
  EventsResolver,
];

/** The API key of a graphql-ws connection: `connectionParams.authorization` ("Bearer <key>"), any case. */
export function connectionAuthorization(
  params: Record<string, unknown> | undefined | null,
): string | undefined {
  const value = Object.entries(params ?? {}).find(
    ([name]) => name.toLowerCase() === 'authorization',
  )?.[1];
  return typeof value === 'string' ? value : undefined;
}

/** graphql-ws closes a connection with this when its client does not read (RFC 6455 §7.4.1: policy violation). */
const SLOW_CONSUMER = 1008;
/** RFC 6455 close code 1013, registered as "Try Again Later": the instance is at its connection cap. */
const TRY_AGAIN_LATER = 1013;

/**
 * Apollo Server 5 through @nestjs/apollo on Fastify (docs/adr/0003 records
 * why, with the measurements), GraphQL over HTTP on /graphql, graphql-ws
 * subscriptions on the same path.
 */
export function graphqlOptions(
  settings: GraphqlSettings,
  reads: BatchReads,
  keys: ApiKeys,
  telemetry?: Telemetry,
  /** The caller's address for a graphql-ws upgrade (TRUST_PROXY); HTTP requests have Fastify's `ip`. */
  addressOf: (request: IncomingMessage) => string | undefined = (request) =>
    request.socket.remoteAddress,
): ApolloDriverConfig {
  const logger = new Logger('GraphQL');
  const logUnexpected = (unexpected: unknown) =>
    logger.error({ err: unexpected }, 'Unexpected error');
  // graphql-ws executes without Apollo, so its errors are shaped here the same way.
  const formatAll = (errors: readonly GraphQLError[]) =>
    errors.map((error) => formatGraphqlError(error.toJSON(), error, logUnexpected));
  let connections = 0;
  type Socket = { bufferedAmount: number; close(code: number, reason: string): void };
  const socketOf = (extra: unknown) => (extra as { socket: Socket }).socket;
  const graphqlWsOptions: Partial<ServerOptions> = {
    path: '/graphql',
    // The same limits as over HTTP: depth, cost, aliases, introspection.
    validate: validateWithLimits(settings),
    // A connection may carry the API key; a wrong one is refused at once (4403) rather than at the first write.
    onConnect: (context) => {
      if (connections >= settings.maxConnections) {
        socketOf(context.extra).close(TRY_AGAIN_LATER, 'too many connections; try again later');
        return false;
      }
      const authorization = connectionAuthorization(context.connectionParams);
      const accepted = authorization === undefined || keys.verify(bearerToken(authorization));
      if (accepted) {
        connections += 1;
        telemetry?.connectionsChanged(1);
      }
      return accepted;
    },
    onDisconnect: () => {
      connections -= 1;
      telemetry?.connectionsChanged(-1);
    },
    // Operations in flight per connection are capped, and a client that does not read is let go.
    onSubscribe: (context) => {
      const socket = socketOf(context.extra);
      const refuse = (message: string) => [
        new GraphQLError(message, { originalError: new DomainError('RATE_LIMITED', message) }),
      ];
      if (socket.bufferedAmount > settings.maxBufferedBytes) {
        socket.close(
          SLOW_CONSUMER,
          `slow consumer: over ${settings.maxBufferedBytes} bytes unsent`,
        );
        return refuse('The connection does not read its replies');
      }
      if (Object.keys(context.subscriptions).length > settings.maxOperationsPerConnection) {
        return refuse(
          `A connection runs at most ${settings.maxOperationsPerConnection} operations at once`,
        );
      }
      return undefined;
    },
    onNext: (_context, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: formatAll(result.errors) } : undefined,
    // Nest's type omits onError, but passes every graphql-ws option through to useServer.
    onError: (_context, _id, _payload, errors) => formatAll(errors),
  } as Partial<ServerOptions> & { path: string };
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    introspection: settings.introspection,
    // The IDE is served from bundled files (graphiql.ts); Apollo's own would load it from a CDN.
    graphiql: false,
    playground: false,
    // Reads are public and credentials travel in a header, not a cookie, so a
    // cross-site GET can only read what anyone may read: GET stays usable
    // from curl and browsers without Apollo's preflight header.
    csrfPrevention: false,
    includeStacktraceInErrorResponses: false,
    // The schema sets no cache hints; Apollo's default cache-control plugin would
    // still wrap every field's resolver to compute a policy of none.
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      {
        requestDidStart: () =>
          Promise.resolve({
            didResolveOperation: ({ operation, operationName, document, contextValue }) => {
              if (operation?.operation === OperationTypeNode.SUBSCRIPTION)
                throw subscriptionOverHttpError();
              if ((contextValue as GraphqlContext).idempotencyKey !== undefined) {
                checkKeyedOperation(operation, document);
              }
              // The request's span (semantic conventions: graphql.operation.*); no-op when tracing is off.
              trace.getActiveSpan()?.setAttributes({
                'graphql.operation.type': operation?.operation ?? 'unknown',
                ...(operationName ? { 'graphql.operation.name': operationName } : {}),
              });
              return Promise.resolve();
            },
          }),
      },
    ],
    validationRules: validationRules(settings),
    formatError: (formatted, error) => formatGraphqlError(formatted, error, logUnexpected),
    // Over HTTP the first argument is the Fastify request; over graphql-ws, graphql-ws's context.
    context: (first: {
      headers?: Record<string, string | string[] | undefined>;
      ip?: string;
      connectionParams?: Record<string, unknown>;
      extra?: { request?: IncomingMessage };
    }): GraphqlContext => {
      const header = first?.headers?.['authorization'];
      const idempotencyKey = first?.headers?.['idempotency-key'];
      return {
        authorization: first?.headers
          ? Array.isArray(header)
            ? header[0]
            : header
          : connectionAuthorization(first?.connectionParams),
        // Repeated headers arrive joined with ", ", which no valid key holds.
        idempotencyKey:
          idempotencyKey === undefined ? undefined : [idempotencyKey].flat().join(', '),
        address: first?.ip ?? (first?.extra?.request ? addressOf(first.extra.request) : undefined),
        loaders: createLoaders(reads),
      };
    },
    subscriptions: { 'graphql-ws': graphqlWsOptions as GraphQLWsSubscriptionsConfig },
  };
}

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, settings: GraphqlSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config),
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [BatchReads, ApiKeys, Telemetry],
          useFactory: (reads: BatchReads, keys: ApiKeys, telemetry: Telemetry) =>
            graphqlOptions(settings, reads, keys, telemetry, clientAddressOf(config.trustProxy)),
        }),
      ],
      providers: [
        ...RESOLVERS,
        { provide: APP_GUARD, useClass: GraphqlApiKeyGuard },
        { provide: APP_FILTER, useClass: GraphqlFilter },
      ],
    };
  }
}
