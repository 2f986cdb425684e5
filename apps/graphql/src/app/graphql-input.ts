import { encodeCursor, type Page } from '@bookshop/domain';

// Between the wire and the domain: Relay connections out, GraphQL nulls removed on the way in
// (REST's counterpart is rest-input.ts).

/** A domain page as a GraphQL connection: an edge per item with its own cursor. */
export function toConnection<T extends { createdAt: string; id: string }>(page: Page<T>) {
  const edges = page.items.map((node) => ({ cursor: encodeCursor(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.nextCursor !== null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** GraphQL sends `null` for an absent optional argument; the domain's schemas expect it absent. */
export function withoutNulls<T extends object>(
  input: T | null | undefined,
): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(
    Object.entries(input ?? {}).filter(([, value]) => value !== null && value !== undefined),
  ) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };
}
