import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { type IdempotencyKey } from '@bookshop/domain';
import { idempotencyOf } from '@bookshop/platform';
import {
  type DocumentNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  OperationTypeNode,
  type SelectionSetNode,
} from 'graphql';
import { GRAPHQL_ERRORS } from './graphql-errors';
import { type GraphqlContext } from './loaders';

/**
 * A mutation's `Idempotency-Key` (CONTRACT.md, "Safe retries"): the HTTP
 * request's header, owned by the API key in its `Authorization` header.
 */
export const Idempotency = createParamDecorator(
  (_: unknown, context: ExecutionContext): IdempotencyKey | undefined => {
    const { idempotencyKey, authorization } =
      GqlExecutionContext.create(context).getContext<GraphqlContext>();
    return idempotencyOf(idempotencyKey === undefined ? undefined : { key: idempotencyKey }, {
      authorization,
    });
  },
);

/**
 * One key names one write, so a request that carries a key holds one mutation
 * field. Counted the way execution collects root fields: fragments, inline or
 * named, add their fields.
 */
export function checkKeyedOperation(
  operation: OperationDefinitionNode | null | undefined,
  document: DocumentNode | undefined,
): void {
  if (operation?.operation !== OperationTypeNode.MUTATION || !document) return;
  const fields = rootFieldCount(operation.selectionSet, document, new Set());
  if (fields <= 1) return;
  throw new GraphQLError(
    `A request with an Idempotency-Key holds one mutation field; this one holds ${fields}. Send each write in its own request with its own key.`,
    { extensions: { code: GRAPHQL_ERRORS.BAD_REQUEST, http: { status: 400 } } },
  );
}

function rootFieldCount(
  selections: SelectionSetNode,
  document: DocumentNode,
  visited: Set<string>,
): number {
  let count = 0;
  for (const selection of selections.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += rootFieldCount(selection.selectionSet, document, visited);
    } else if (!visited.has(selection.name.value)) {
      visited.add(selection.name.value);
      const fragment = document.definitions.find(
        (definition) =>
          definition.kind === Kind.FRAGMENT_DEFINITION &&
          definition.name.value === selection.name.value,
      );
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) {
        count += rootFieldCount(fragment.selectionSet, document, visited);
      }
    }
  }
  return count;
}
