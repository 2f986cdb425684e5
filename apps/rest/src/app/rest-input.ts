import { DomainError } from '@bookshop/domain';

/**
 * Query strings carry text; the catalogue's schemas expect JSON types. Only
 * the translation lives here: a decimal `limit` becomes a number, anything
 * else goes through untouched for the domain to judge.
 */
export function fromQuery(query: Record<string, unknown>): Record<string, unknown> {
  const input = { ...query };
  if (typeof input['limit'] === 'string' && /^-?\d{1,15}$/.test(input['limit'])) {
    input['limit'] = Number(input['limit']);
  }
  return input;
}

/**
 * REST's answer to under-fetching: `include=author` on a list of books also
 * returns each listed book's author, once (a compound document, as JSON:API
 * and HAL embed related resources). It is the one relationship a list can
 * embed; any other value fails validation at `include`. Returns the query
 * without `include`, for the catalogue to judge, and whether authors were asked for.
 */
export function withoutInclude(query: Record<string, unknown>): {
  input: Record<string, unknown>;
  authors: boolean;
} {
  const { include, ...input } = query;
  if (include !== undefined && include !== 'author') {
    throw DomainError.invalidField('include', 'can only be "author"');
  }
  return { input, authors: include === 'author' };
}

/** A JSON body with the route's id merged in; a body that is not an object is passed on to fail validation. */
export function withId(body: unknown, id: string): unknown {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? { ...body, id } : body;
}
