import { applyDecorators } from '@nestjs/common';
import { Mutation, Query, type ReturnTypeFunc } from '@nestjs/graphql';
import { type OperationName } from '@bookshop/domain';
import { ServesOperation } from '@bookshop/platform';
import { fieldDescription } from './graphql.document';

/** How GraphQL carries an operation: a root field of Query or Mutation. */
export interface GraphqlBinding {
  field: string;
  kind: 'query' | 'mutation';
}

/**
 * Every catalogue operation as a root field (ARCHITECTURE.md rule 3): reads
 * are Query fields named for what they return, writes are Mutation fields
 * named for what they do. `@RootField` registers the resolvers from this
 * table.
 */
export const GRAPHQL_BINDINGS = {
  'authors.create': { field: 'createAuthor', kind: 'mutation' },
  'authors.get': { field: 'author', kind: 'query' },
  'authors.list': { field: 'authors', kind: 'query' },
  'books.create': { field: 'createBook', kind: 'mutation' },
  'books.get': { field: 'book', kind: 'query' },
  'books.list': { field: 'books', kind: 'query' },
  'books.update': { field: 'updateBook', kind: 'mutation' },
  'books.delete': { field: 'deleteBook', kind: 'mutation' },
  'books.adjustStock': { field: 'adjustStock', kind: 'mutation' },
  'orders.place': { field: 'placeOrder', kind: 'mutation' },
  'orders.get': { field: 'order', kind: 'query' },
  'orders.cancel': { field: 'cancelOrder', kind: 'mutation' },
} as const satisfies Record<OperationName, GraphqlBinding>;

/** Registers a resolver method as the operation's root field, named by GRAPHQL_BINDINGS. */
export function RootField(
  operation: OperationName,
  type: ReturnTypeFunc,
  options: { nullable?: boolean } = {},
): MethodDecorator {
  const binding: GraphqlBinding = GRAPHQL_BINDINGS[operation];
  const register = binding.kind === 'query' ? Query : Mutation;
  return applyDecorators(
    register(type, {
      ...options,
      name: binding.field,
      description: fieldDescription(operation, options.nullable),
    }),
    ServesOperation(operation),
  );
}
