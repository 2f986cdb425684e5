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

/** A JSON body with the route's id merged in; a body that is not an object is passed on to fail validation. */
export function withId(body: unknown, id: string): unknown {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? { ...body, id } : body;
}
