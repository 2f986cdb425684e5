import {
  catalogue,
  inputSchema,
  type JsonSchema,
  type OperationName,
  resultSchemaName,
  resultSchemas,
} from '@bookshop/domain';
import { REST_ERRORS } from './rest-errors';

/** How each catalogue operation sits on HTTP; the controllers serve exactly these. */
export const ROUTES: readonly {
  operation: OperationName;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  /** Where the input comes from besides the path id. */
  input: 'body' | 'query' | 'none';
  status: 200 | 201 | 204;
}[] = [
  { operation: 'authors.create', method: 'post', path: '/api/authors', input: 'body', status: 201 },
  { operation: 'authors.list', method: 'get', path: '/api/authors', input: 'query', status: 200 },
  {
    operation: 'authors.get',
    method: 'get',
    path: '/api/authors/{id}',
    input: 'none',
    status: 200,
  },
  { operation: 'books.create', method: 'post', path: '/api/books', input: 'body', status: 201 },
  { operation: 'books.list', method: 'get', path: '/api/books', input: 'query', status: 200 },
  { operation: 'books.get', method: 'get', path: '/api/books/{id}', input: 'none', status: 200 },
  {
    operation: 'books.update',
    method: 'patch',
    path: '/api/books/{id}',
    input: 'body',
    status: 200,
  },
  {
    operation: 'books.delete',
    method: 'delete',
    path: '/api/books/{id}',
    input: 'none',
    status: 204,
  },
  {
    operation: 'books.adjustStock',
    method: 'post',
    path: '/api/books/{id}/stock-adjustments',
    input: 'body',
    status: 200,
  },
  { operation: 'orders.place', method: 'post', path: '/api/orders', input: 'body', status: 201 },
  { operation: 'orders.get', method: 'get', path: '/api/orders/{id}', input: 'none', status: 200 },
  {
    operation: 'orders.cancel',
    method: 'post',
    path: '/api/orders/{id}/cancel',
    input: 'none',
    status: 200,
  },
];

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The input schema as a client sends it, without the path's `id`. */
function bodySchema(operation: OperationName): JsonSchema {
  const schema = inputSchema(operation, 'draft-2020-12');
  if (schema.properties?.['id']) {
    delete schema.properties['id'];
    schema.required = schema.required?.filter((name) => name !== 'id');
  }
  return schema;
}

function problem(code: keyof typeof REST_ERRORS, description: string) {
  return { description, content: { 'application/problem+json': { schema: ref('Problem') } } };
}

/** The error responses an operation can give, each with its contract code. */
function errorResponses(route: (typeof ROUTES)[number]) {
  const op = catalogue[route.operation];
  const responses: Record<string, unknown> = {};
  const hasId = route.path.includes('{id}');
  if (route.input === 'body')
    responses['400'] = problem('BAD_REQUEST', 'BAD_REQUEST: the body is not JSON');
  if (op.writes)
    responses['401'] = problem('UNAUTHENTICATED', 'UNAUTHENTICATED: missing or wrong API key');
  if (hasId) responses['404'] = problem('NOT_FOUND', 'NOT_FOUND: no entity has this id');
  const conflicts: Partial<Record<OperationName, string>> = {
    'books.create': 'CONFLICT: the ISBN is taken',
    'books.update': 'CONFLICT: the ISBN is taken, or `expectedVersion` is stale',
    'books.delete': 'CONFLICT: an order references the book',
    'books.adjustStock': 'OUT_OF_STOCK: the stock would fall below 0 (`errors` lists the shortage)',
    'orders.place':
      'OUT_OF_STOCK: lines ask for more than is in stock (`errors` lists every short line)',
    'orders.cancel': 'CONFLICT: the order is already cancelled',
  };
  const conflict = conflicts[route.operation];
  if (conflict) responses['409'] = problem('CONFLICT', conflict);
  if (route.operation === 'books.update') {
    responses['412'] = problem(
      'CONFLICT',
      'CONFLICT: `If-Match` does not name the current version',
    );
  }
  if (route.input === 'body')
    responses['413'] = problem('PAYLOAD_TOO_LARGE', 'PAYLOAD_TOO_LARGE: the body is over 1 MiB');
  if (route.input !== 'none') {
    responses['422'] = problem('VALIDATION_FAILED', 'VALIDATION_FAILED: `errors` names each field');
  }
  responses['429'] = problem(
    'RATE_LIMITED',
    'RATE_LIMITED: too many requests from this key or address; `Retry-After` says when to retry',
  );
  responses['503'] = problem(
    'UNAVAILABLE',
    'UNAVAILABLE: the database did not answer within the deadline; nothing changed; `Retry-After` says when to retry',
  );
  responses['500'] = problem(
    'INTERNAL',
    'INTERNAL: unexpected; the `requestId` identifies it in the logs',
  );
  return responses;
}

function queryParameters(operation: OperationName) {
  const schema = bodySchema(operation);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    description: property['description'],
    schema: { ...property, description: undefined },
  }));
}

/** The OpenAPI 3.1 document, generated from the catalogue's schemas so that it cannot drift from them. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const schemas = resultSchemas('draft-2020-12');

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const op = catalogue[route.operation];
    const outputId = resultSchemaName(route.operation);
    const parameters: unknown[] = [];
    if (route.path.includes('{id}')) {
      parameters.push({ name: 'id', in: 'path', required: true, schema: { type: 'string' } });
    }
    if (route.input === 'query') parameters.push(...queryParameters(route.operation));
    if (route.operation === 'books.get') {
      parameters.push({
        name: 'If-None-Match',
        in: 'header',
        required: false,
        schema: { type: 'string' },
      });
    }
    if (route.operation === 'books.update') {
      parameters.push({
        name: 'If-Match',
        in: 'header',
        required: false,
        description: 'The ETag of the version to change; 412 when it is not current',
        schema: { type: 'string' },
      });
    }
    const success: Record<string, unknown> =
      route.status === 204
        ? { description: 'Deleted' }
        : {
            description: route.status === 201 ? 'Created' : 'OK',
            ...(route.status === 201
              ? {
                  headers: {
                    Location: { description: 'The new resource', schema: { type: 'string' } },
                  },
                }
              : {}),
            content: { 'application/json': { schema: ref(outputId) } },
          };
    const responses: Record<string, unknown> = {
      [String(route.status)]: success,
      ...errorResponses(route),
    };
    if (route.operation === 'books.get')
      responses['304'] = { description: 'Not modified (If-None-Match)' };
    (paths[route.path] ??= {})[route.method] = {
      operationId: route.operation,
      summary: op.summary,
      tags: [route.operation.split('.')[0]],
      ...(parameters.length ? { parameters } : {}),
      ...(route.input === 'body'
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: bodySchema(route.operation) } },
            },
          }
        : {}),
      ...(op.writes ? { security: [{ apiKey: [] }] } : {}),
      responses,
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Bookshop REST API',
      version: '1.0.0',
      description:
        'Authors, books and orders. Money is integer cents; times are ISO-8601 UTC. Writes need an API key.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key from API_KEYS (`dev-key` in development)',
        },
      },
      schemas: {
        ...schemas,
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details with the contract code',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            code: { type: 'string', enum: Object.keys(REST_ERRORS) },
            errors: {
              type: 'array',
              description:
                '`{path, message}` per field for VALIDATION_FAILED; `{bookId, requested, available}` per line for OUT_OF_STOCK',
              items: { type: 'object' },
            },
            requestId: { type: 'string' },
          },
        },
      },
    },
  };
}

let document: Record<string, unknown> | undefined;

/** The document, built once per process and shared by /api/openapi.json and the docs page. */
export function openApiDocument(): Record<string, unknown> {
  document ??= buildOpenApiDocument();
  return document;
}
