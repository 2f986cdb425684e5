import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  validate,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { type GraphQLModule } from '@nestjs/graphql';
import { MAX_BODY_BYTES } from '@bookshop/platform';
import { GRAPHQL_ERRORS } from './graphql-errors';
import { type GraphqlSettings } from './settings';

const reportToValidation = (context: ValidationContext | null, error: GraphQLError) =>
  context?.reportError(error);

/**
 * The one list of limits every GraphQL document passes, whichever transport
 * carried it: GraphQL over HTTP (Apollo's `validationRules`) and graphql-ws
 * (`validate` below) alike (ARCHITECTURE.md rule 11). Depth, cost and aliases
 * by graphql-armor; introspection only where the settings allow it.
 */
export function validationRules(settings: GraphqlSettings): ValidationRule[] {
  // graphql-armor's rules report through onReject; as plain validation rules they must report to graphql-js.
  const report = { propagateOnRejection: false, onReject: [reportToValidation] };
  return [
    maxDepthRule({ n: settings.maxDepth, ...report }),
    costLimitRule({ maxCost: settings.maxCost, ...report }),
    maxAliasesRule({ n: settings.maxAliases, ...report }),
    ...(settings.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
}

/** graphql-js's `validate` with the specified rules and ours: graphql-ws's `validate` option. */
export function validateWithLimits(settings: GraphqlSettings) {
  const rules = [...specifiedRules, ...validationRules(settings)];
  return (schema: GraphQLSchema, document: DocumentNode) => validate(schema, document, rules);
}

/**
 * GraphQL over HTTP serves queries and mutations; a subscription needs a
 * stream, which graphql-ws on the same path gives. Refused as the client's
 * mistake (400, BAD_REQUEST) rather than failing inside execution.
 */
export function subscriptionOverHttpError(): GraphQLError {
  return new GraphQLError(
    'Subscriptions are served over graphql-ws (the graphql-transport-ws subprotocol) on this path, not over HTTP',
    { extensions: { code: GRAPHQL_ERRORS.BAD_REQUEST, http: { status: 400 } } },
  );
}

/**
 * graphql-ws frames get the contract's 1 MiB limit, as request bodies do (ws
 * closes the connection with 1009 past it; its own default is 100 MiB).
 * @nestjs/graphql creates its WebSocketServer without options and offers no
 * way to pass any (nestjs/graphql#2653), so the limit is set on the server it
 * made, once the module has started; a Nest release that moves it fails here
 * at start, not silently.
 */
export function limitGraphqlWsFrames(module: GraphQLModule): void {
  const adapter = module.graphQlAdapter as unknown as {
    _subscriptionService?: { wss?: { options: { maxPayload?: number } } };
  };
  const server = adapter._subscriptionService?.wss;
  if (!server) throw new Error('The graphql-ws server was not found: cannot limit its frames');
  server.options.maxPayload = MAX_BODY_BYTES;
}
