import { parseEnvironment, type ServiceConfig } from '@bookshop/platform';
import { z } from 'zod';

const flag = z
  .enum(['true', 'false', '1', '0'], 'must be true or false')
  .transform((v) => v === 'true' || v === '1');
const positive = z
  .string()
  .regex(/^[1-9]\d*$/, 'must be a positive integer')
  .transform(Number);

/** The GraphQL service's own settings. */
export interface GraphqlSettings {
  /** Deepest selection a query may nest (CONTRACT.md: 10 by default). */
  maxDepth: number;
  /** Highest cost a query may have, by graphql-armor's cost model. */
  maxCost: number;
  /** Most aliases one operation may use. */
  maxAliases: number;
  /** Operations (subscriptions, queries, mutations) one graphql-ws connection may run at once. */
  maxOperationsPerConnection: number;
  /** graphql-ws connections one instance accepts at once. */
  maxConnections: number;
  /** Unsent bytes a graphql-ws connection may have before it is closed as a slow consumer. */
  maxBufferedBytes: number;
  /** Schema introspection; on outside production unless set. */
  introspection: boolean;
  /** The GraphiQL IDE on GET /graphql; on outside production unless set. */
  ide: boolean;
}

export function loadGraphqlSettings(
  env: Record<string, string | undefined>,
  config: ServiceConfig,
): GraphqlSettings {
  const values = parseEnvironment(
    z.object({
      GRAPHQL_MAX_DEPTH: positive.optional(),
      GRAPHQL_MAX_COST: positive.optional(),
      GRAPHQL_MAX_ALIASES: positive.optional(),
      GRAPHQL_WS_MAX_OPERATIONS: positive.optional(),
      GRAPHQL_WS_MAX_CONNECTIONS: positive.optional(),
      GRAPHQL_WS_MAX_BUFFERED_BYTES: positive.optional(),
      GRAPHQL_INTROSPECTION: flag.optional(),
      GRAPHQL_IDE: flag.optional(),
    }),
    env,
    'graphql',
  );
  const development = config.nodeEnv !== 'production';
  return {
    maxDepth: values.GRAPHQL_MAX_DEPTH ?? 10,
    maxCost: values.GRAPHQL_MAX_COST ?? 5000,
    maxAliases: values.GRAPHQL_MAX_ALIASES ?? 15,
    maxOperationsPerConnection: values.GRAPHQL_WS_MAX_OPERATIONS ?? 100,
    maxConnections: values.GRAPHQL_WS_MAX_CONNECTIONS ?? 1000,
    maxBufferedBytes: values.GRAPHQL_WS_MAX_BUFFERED_BYTES ?? 4 * 1024 * 1024,
    introspection: values.GRAPHQL_INTROSPECTION ?? development,
    ide: values.GRAPHQL_IDE ?? development,
  };
}
