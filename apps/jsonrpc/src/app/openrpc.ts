import {
  catalogue,
  inputSchema,
  OPERATION_NAMES,
  type OperationName,
  resultSchemaName,
  resultSchemas,
} from '@bookshop/domain';
import { RPC_ERRORS } from './jsonrpc-errors';

const error = (code: keyof typeof RPC_ERRORS, when: string) => ({
  code: RPC_ERRORS[code].code,
  message: RPC_ERRORS[code].message,
  data: { code, when },
});

/** The errors a method can answer with, beyond the protocol's own. */
function errorsOf(name: OperationName) {
  const op = catalogue[name];
  const errors = [error('VALIDATION_FAILED', '`data.details` names each field')];
  if (op.writes) errors.push(error('UNAUTHENTICATED', 'a write without a valid API key'));
  if (
    name.endsWith('.get') ||
    ['books.update', 'books.delete', 'books.adjustStock', 'orders.cancel'].includes(name)
  ) {
    errors.push(error('NOT_FOUND', 'no entity has this id'));
  }
  if (['books.create', 'books.update', 'books.delete', 'orders.cancel'].includes(name)) {
    errors.push(
      error(
        'CONFLICT',
        'a taken ISBN, a stale expectedVersion, a referenced book or a cancelled order',
      ),
    );
  }
  if (['books.adjustStock', 'orders.place'].includes(name)) {
    errors.push(error('OUT_OF_STOCK', '`data.details` lists every short line'));
  }
  errors.push(error('RATE_LIMITED', 'too many calls from this key or address'));
  errors.push(error('UNAVAILABLE', 'the database did not answer in time; nothing changed'));
  return errors;
}

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
      name,
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
        ? { tags: [{ name: 'write', description: 'Needs Authorization: Bearer <key>' }] }
        : {}),
    };
  });

  return {
    openrpc: '1.3.2',
    info: {
      title: 'Bookshop JSON-RPC API',
      version: '1.0.0',
      description:
        'JSON-RPC 2.0 over HTTP POST /rpc. Parameters by name. Writes need Authorization: Bearer <key>.',
    },
    methods,
    components: { schemas },
  };
}
