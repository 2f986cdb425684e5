import { catalogue, DEFAULT_PORTS, EXAMPLE_SCRIPT } from '@bookshop/domain';
import { collectionAbout, DEV_API_KEY, type HttpCollection } from '@bookshop/platform';
import { JSONRPC_BINDINGS } from './jsonrpc.bindings';

/**
 * The example script over JSON-RPC (`collections/jsonrpc.http`): one Request
 * object per step, the method from JSONRPC_BINDINGS, params by name, the id
 * the step's place in the script.
 */
export const JSONRPC_COLLECTION: HttpCollection = {
  about: collectionAbout('JSON-RPC 2.0', 'apps/jsonrpc/src/app/jsonrpc.bindings.ts'),
  variables: { base: `http://localhost:${DEFAULT_PORTS.jsonrpc}`, apiKey: DEV_API_KEY },
  request: (step) => ({
    method: 'POST',
    target: '/rpc',
    headers: {
      'Content-Type': 'application/json',
      ...(catalogue[step.operation].writes ? { Authorization: 'Bearer {{apiKey}}' } : {}),
    },
    body: JSON.stringify(
      {
        jsonrpc: '2.0',
        id: EXAMPLE_SCRIPT.indexOf(step) + 1,
        method: JSONRPC_BINDINGS[step.operation].method,
        params: step.input,
      },
      null,
      2,
    ),
  }),
  reference: (step, field) => `{{${step.name}.response.body.$.result.${field}}}`,
};
