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
    introspection: values.GRAPHQL_INTROSPECTION ?? development,
    ide: values.GRAPHQL_IDE ?? development,
  };
}
