import { catalogue, DEFAULT_PORTS } from '@bookshop/domain';
import { collectionAbout, DEV_API_KEY, type HttpCollection } from '@bookshop/platform';
import { REST_BINDINGS, type RestBinding } from './rest.bindings';

/**
 * The example script over REST (`collections/rest.http`): each step's
 * method, path and success from REST_BINDINGS; the target's id in the path,
 * the rest of the input as a JSON body or a query string, `expectedVersion`
 * as `If-Match` where the binding is conditional.
 */
export const REST_COLLECTION: HttpCollection = {
  about: collectionAbout('REST', 'apps/rest/src/app/rest.bindings.ts'),
  variables: { base: `http://localhost:${DEFAULT_PORTS.rest}`, apiKey: DEV_API_KEY },
  request: ({ operation, input }) => {
    const binding: RestBinding = REST_BINDINGS[operation];
    const { id, expectedVersion, ...rest } = input as Record<string, unknown>;
    const fields: Record<string, unknown> =
      binding.conditional === 'if-match' ? rest : { ...rest, expectedVersion };
    for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (catalogue[operation].writes) headers['Authorization'] = 'Bearer {{apiKey}}';
    if (binding.conditional === 'if-match' && expectedVersion !== undefined)
      headers['If-Match'] = `"${Number(expectedVersion)}"`;
    const path = binding.path.replace('{id}', String(id));
    if (binding.input === 'query') {
      const query = Object.entries(fields)
        .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
        .join('&');
      return { method: 'GET', target: query ? `${path}?${query}` : path, headers };
    }
    const method = binding.method.toUpperCase() as 'GET' | 'POST' | 'PATCH' | 'DELETE';
    if (binding.input === 'none') return { method, target: path, headers };
    headers['Content-Type'] = 'application/json';
    return { method, target: path, headers, body: JSON.stringify(fields, null, 2) };
  },
  reference: (step, field) => `{{${step.name}.response.body.$.${field}}}`,
};
