import { ConfigError, type ServiceConfig } from '@bookshop/platform';
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
  const parsed = z
    .object({
      GRAPHQL_MAX_DEPTH: positive.optional(),
      GRAPHQL_MAX_COST: positive.optional(),
      GRAPHQL_INTROSPECTION: flag.optional(),
      GRAPHQL_IDE: flag.optional(),
    })
    .safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration for the graphql service:\n${lines.join('\n')}`);
  }
  const development = config.nodeEnv !== 'production';
  return {
    maxDepth: parsed.data.GRAPHQL_MAX_DEPTH ?? 10,
    maxCost: parsed.data.GRAPHQL_MAX_COST ?? 5000,
    introspection: parsed.data.GRAPHQL_INTROSPECTION ?? development,
    ide: parsed.data.GRAPHQL_IDE ?? development,
  };
}
