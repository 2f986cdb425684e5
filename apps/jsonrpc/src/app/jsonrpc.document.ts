import {
  catalogue,
  inputSchema,
  OPERATION_NAMES,
  operationErrors,
  type OperationName,
  resultSchemaName,
  resultSchemas,
} from '@bookshop/domain';
import { JSONRPC_BINDINGS } from './jsonrpc.bindings';
import { RPC_ERRORS } from './jsonrpc-errors';

/**
 * The errors a method can answer with, beyond the protocol's own (§5.1):
 * the catalogue's list, each under its JSON-RPC code with the string code
 * and when in `data`.
 */
function errorsOf(name: OperationName) {
  return operationErrors(name).map(({ code, when }) => ({
    code: RPC_ERRORS[code].code,
    message: RPC_ERRORS[code].message,
    data: { code, when },
  }));
}

/** How a write is made safe to retry over JSON-RPC (CONTRACT.md, "Safe retries"). */
const IDEMPOTENCY =
  'An `Idempotency-Key` HTTP header makes a retry of a write safe: a repeat with the same key and params gets the first result and changes nothing; the key with another method or params is CONFLICT (-32009). In a batch each write call is keyed by the header and its `id`, so a retried batch must keep its ids; a lone call is keyed by the header alone.';

/**
 * The OpenRPC 1.3 document `rpc.discover` returns, generated from the
 * catalogue: each method's parameters are the top-level fields of its zod
 * input schema (by name), its result the output schema.
 */
export function buildOpenRpcDocument() {
  const schemas = resultSchemas('draft-7');

  const methods = OPERATION_NAMES.map((name) => {
    const op = catalogue[name];
    const input = inputSchema(name, 'draft-7');
    const outputId = resultSchemaName(name);
    return {
      name: JSONRPC_BINDINGS[name].method,
      summary: op.summary,
      paramStructure: 'by-name',
      params: Object.entries(input.properties ?? {}).map(([param, schema]) => ({
        name: param,
        required: input.required?.includes(param) ?? false,
        schema,
      })),
      result: {
        name: outputId.charAt(0).toLowerCase() + outputId.slice(1),
        schema: { $ref: `#/components/schemas/${outputId}` },
      },
      errors: errorsOf(name),
      ...(op.writes
        ? {
            description: IDEMPOTENCY,
            tags: [{ name: 'write', description: 'Needs Authorization: Bearer <key>' }],
          }
        : {}),
    };
  });

  return {
    openrpc: '1.3.2',
    info: {
      title: 'Bookshop JSON-RPC API',
      version: '1.0.0',
      description: `JSON-RPC 2.0 over HTTP POST /rpc. Parameters by name. Writes need Authorization: Bearer <key>. ${IDEMPOTENCY}`,
    },
    methods,
    components: { schemas },
  };
}
