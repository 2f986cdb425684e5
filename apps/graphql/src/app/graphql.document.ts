import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { catalogue, operationErrors, type OperationName } from '@bookshop/domain';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { GRAPHQL_ERRORS } from './graphql-errors';

/**
 * A root field's description: the catalogue's summary and the
 * `extensions.code` values its errors carry, from the catalogue's list. A
 * nullable read answers null for an id that names nothing, not NOT_FOUND.
 */
export function fieldDescription(operation: OperationName, nullable = false): string {
  const errors = operationErrors(operation).filter(
    ({ code }) => !(nullable && code === 'NOT_FOUND'),
  );
  const codes = errors.map(({ code, when }) => `${GRAPHQL_ERRORS[code]} (${when})`);
  return [
    `${catalogue[operation].summary}.${nullable ? ' Null when no entity has this id.' : ''}`,
    ...(catalogue[operation].writes
      ? [
          'An `Idempotency-Key` HTTP header makes a retry safe: a repeat with the same key and input gets the first result and changes nothing, the key with another input is CONFLICT; a request with a key holds this one mutation field.',
        ]
      : []),
    `Errors, by extensions.code: ${codes.join('; ')}.`,
  ].join('\n');
}

/**
 * The SDL the resolvers generate, sorted as the committed `schema.graphql`
 * is: the service's contract document, beside the contract's own copy.
 */
export async function printGraphqlSchema(
  resolvers: readonly (abstract new (...args: never[]) => unknown)[],
): Promise<string> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, {
    logger: false,
  });
  try {
    const schema = await app.get(GraphQLSchemaFactory).create([...resolvers] as never);
    return printSchema(lexicographicSortSchema(schema));
  } finally {
    await app.close();
  }
}
