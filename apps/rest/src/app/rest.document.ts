import {
  catalogue,
  demoAuthors,
  demoBooks,
  EXAMPLE_SCRIPT,
  inputSchema,
  type JsonSchema,
  OPERATION_NAMES,
  type OperationError,
  operationErrors,
  type OperationName,
  resultSchemaName,
  resultSchemas,
  STEP_REFERENCE,
} from '@bookshop/domain';
import { PROBLEM_XML_NAMESPACE, REST_XML_NAMESPACE, toXml } from '@bookshop/xml';
import { REST_BINDINGS, type RestBinding } from './rest.bindings';
import { PROBLEM_CONTENT_TYPE, REST_ERRORS } from './rest-errors';
import {
  CSV_COLUMNS,
  formatsOf,
  MEDIA_TYPES,
  PROBLEM_XML_CONTENT_TYPE,
  toCsv,
  XML_ELEMENTS,
} from './representations';

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

/**
 * The XML mapping in the schema's own terms (OpenAPI's XML Object): an array
 * is a wrapper element whose items are `<i>`. Applied in place, to every array
 * below `schema`; JSON readers ignore `xml`.
 */
function annotateXml(schema: unknown): void {
  if (schema === null || typeof schema !== 'object') return;
  const node = schema as Record<string, unknown>;
  if (node['type'] === 'array' && node['items'] && typeof node['items'] === 'object') {
    node['xml'] = { wrapped: true };
    node['items'] = { ...node['items'], xml: { name: 'i' } };
  }
  for (const value of Object.values(node)) {
    if (value && typeof value === 'object') annotateXml(value);
  }
}

/** A schema as the root element `name` of an XML document. */
const asXmlRoot = (schema: JsonSchema, name: string, namespace = REST_XML_NAMESPACE) => ({
  ...schema,
  xml: { name, namespace },
});

/** An order as the example script's `orders.place` gets it back. */
const EXAMPLE_ORDER = (() => {
  const book = demoBooks[2] as (typeof demoBooks)[number];
  return {
    id: '3d5e7a90-1c2b-4d6e-8f70-000000000001',
    status: 'PLACED',
    lines: [{ bookId: book.id, quantity: 2, unitPriceCents: book.priceCents }],
    totalCents: 2 * book.priceCents,
    createdAt: '2024-01-02T10:00:00.000Z',
  };
})();

/** A result of each schema, from the demo catalogue, for the documents' examples. */
const EXAMPLE_RESULTS: Record<string, object> = {
  Author: demoAuthors[0] as object,
  Book: demoBooks[0] as object,
  Order: EXAMPLE_ORDER,
  AuthorPage: { items: demoAuthors.slice(0, 2), nextCursor: null },
  BookPage: { items: demoBooks.slice(0, 2), nextCursor: null },
};

/** The example script's input for a write, as its body: no path id, earlier results filled in. */
function exampleBody(operation: OperationName): object | undefined {
  const step = EXAMPLE_SCRIPT.find((example) => example.operation === operation);
  if (!step) return undefined;
  const filled = JSON.stringify(step.input).replace(STEP_REFERENCE, (_, name: string) =>
    name === 'newAuthor' ? (demoAuthors[0]?.id ?? '') : (demoBooks[0]?.id ?? ''),
  );
  const { id: _id, ...body } = JSON.parse(filled) as Record<string, unknown>;
  return body;
}

const EXAMPLE_PROBLEM = {
  type: 'urn:bookshop:problem:not-found',
  title: 'Not found',
  status: 404,
  detail: 'No book has the id "0c9b2f4e-5d2a-4f6b-8e3c-000000000999"',
  instance: '/api/books/0c9b2f4e-5d2a-4f6b-8e3c-000000000999',
  code: 'NOT_FOUND',
  requestId: '0b8f1c9e-27d4-4a4e-9d55-6c1f3b2a7e10',
};

/**
 * The error responses an operation can give, by status, each naming its
 * contract codes: the catalogue's list for the operation, and what HTTP adds
 * (a body that is not JSON or too large, a failed `If-Match`).
 */
function errorResponses(operation: OperationName, binding: RestBinding) {
  const errors: (OperationError & { status?: number })[] = [
    ...(binding.input === 'body'
      ? [
          {
            code: 'BAD_REQUEST',
            when: 'the body is not well-formed JSON or XML of the documented shape',
          } as const,
          {
            code: 'BAD_REQUEST',
            when: 'the body is neither JSON nor UTF-8 XML',
            status: 415,
          } as const,
        ]
      : []),
    {
      code: 'BAD_REQUEST',
      when: `\`Accept\` allows none of ${formatsOf(operation)
        .map((format) => MEDIA_TYPES[format])
        .join(', ')}`,
      status: 406,
    },
    // With nothing but the path's id, no input can fail validation: an id that names nothing is 404.
    ...operationErrors(operation).filter(
      ({ code }) => binding.input !== 'none' || code !== 'VALIDATION_FAILED',
    ),
    ...(binding.conditional === 'if-match'
      ? [
          {
            code: 'CONFLICT',
            when: '`If-Match` does not name the current version',
            status: 412,
          } as const,
        ]
      : []),
    ...(binding.input === 'body'
      ? [{ code: 'PAYLOAD_TOO_LARGE', when: 'the body is over 1 MiB' } as const]
      : []),
  ];
  const byStatus = new Map<number, string[]>();
  for (const { code, when, status } of errors) {
    const key = status ?? REST_ERRORS[code].status;
    byStatus.set(key, [...(byStatus.get(key) ?? []), `${code}: ${when}`]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, lines]) => [
      String(status),
      {
        description: lines.join('; '),
        content: {
          [PROBLEM_CONTENT_TYPE]: {
            schema: ref('Problem'),
            ...(status === 404 ? { example: EXAMPLE_PROBLEM } : {}),
          },
          [PROBLEM_XML_CONTENT_TYPE]: {
            schema: {
              ...ref('Problem'),
              xml: { name: 'problem', namespace: PROBLEM_XML_NAMESPACE },
            },
            ...(status === 404
              ? { example: toXml('problem', EXAMPLE_PROBLEM, PROBLEM_XML_NAMESPACE) }
              : {}),
          },
        },
      },
    ]),
  );
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

/** What `include` asks for on a list, and the compound document it returns. */
const INCLUDES = {
  author: {
    parameter: {
      name: 'include',
      in: 'query',
      required: false,
      description:
        '`author`: the page also carries the listed books’ authors, each once, under `included.authors`, so that a client needs no request per author',
      schema: { type: 'string', enum: ['author'] },
    },
    schema: 'BookPageWithAuthors',
  },
} as const;

/** `BookPage` with the authors of its books (`include=author`), built from the catalogue's own schemas. */
function bookPageWithAuthors(schemas: Record<string, JsonSchema>): JsonSchema {
  const page = schemas['BookPage'];
  if (!page) throw new Error('the catalogue has no BookPage schema');
  return {
    ...page,
    description:
      'A page of books and, under `included.authors`, the authors of its books, each once',
    required: [...(page.required ?? []), 'included'],
    properties: {
      ...page.properties,
      included: {
        type: 'object',
        required: ['authors'],
        properties: { authors: { type: 'array', items: ref('Author') } },
        additionalProperties: false,
      },
    },
  };
}

/** The result schemas the paths use, directly or through one another (`Deleted` has no body on HTTP: 204). */
function referenced(
  schemas: Record<string, unknown>,
  paths: Record<string, unknown>,
): Record<string, unknown> {
  const used = new Set<string>();
  let text = JSON.stringify(paths);
  for (let grew = true; grew;) {
    grew = false;
    for (const name of Object.keys(schemas)) {
      if (used.has(name) || !text.includes(`"#/components/schemas/${name}"`)) continue;
      used.add(name);
      text += JSON.stringify(schemas[name]);
      grew = true;
    }
  }
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
}

/** A write's body as JSON or XML, each with the example script's input. */
function bodyContent(operation: OperationName) {
  const schema = bodySchema(operation);
  annotateXml(schema);
  const example = exampleBody(operation);
  const root = (XML_ELEMENTS[operation] as { body?: string }).body ?? 'body';
  return {
    [MEDIA_TYPES.json]: { schema, ...(example ? { example } : {}) },
    [MEDIA_TYPES.xml]: {
      schema: asXmlRoot(schema, root),
      ...(example ? { example: toXml(root, example) } : {}),
    },
  };
}

/** A reply in every format the route speaks, each with an example from the demo catalogue. */
function successContent(operation: OperationName, outputId: string, withInclude?: string) {
  const example = EXAMPLE_RESULTS[outputId];
  const root = (XML_ELEMENTS[operation] as { reply?: string }).reply ?? 'result';
  const columns = (CSV_COLUMNS as Partial<Record<OperationName, readonly string[]>>)[operation];
  return {
    [MEDIA_TYPES.json]: {
      schema: withInclude ? { oneOf: [ref(outputId), ref(withInclude)] } : ref(outputId),
      ...(example ? { example } : {}),
    },
    [MEDIA_TYPES.xml]: {
      schema: asXmlRoot(ref(outputId), root),
      ...(example ? { example: toXml(root, example) } : {}),
    },
    ...(columns
      ? {
          [MEDIA_TYPES.csv]: {
            schema: {
              type: 'string',
              description: `RFC 4180, a header row then one row per item (${columns.join(', ')}); the next page is the \`Link\` header's \`rel="next"\`. Not with \`include\`.`,
            },
            ...(example
              ? {
                  example: toCsv(
                    operation as keyof typeof CSV_COLUMNS,
                    (example as { items: object[] }).items,
                  ),
                }
              : {}),
          },
        }
      : {}),
  };
}

/** The OpenAPI 3.1 document, generated from the catalogue's schemas so that it cannot drift from them. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const schemas: Record<string, JsonSchema> = resultSchemas('draft-2020-12');
  schemas[INCLUDES.author.schema] = bookPageWithAuthors(schemas);
  annotateXml(schemas);

  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of OPERATION_NAMES) {
    const route: RestBinding = REST_BINDINGS[operation];
    const op = catalogue[operation];
    const outputId = resultSchemaName(operation);
    const parameters: unknown[] = [];
    if (route.path.includes('{id}')) {
      parameters.push({ name: 'id', in: 'path', required: true, schema: { type: 'string' } });
    }
    if (route.input === 'query') parameters.push(...queryParameters(operation));
    const include = route.includes && INCLUDES[route.includes];
    if (include) parameters.push(include.parameter);
    const read = route.method === 'get';
    if (read) {
      parameters.push({
        name: 'If-None-Match',
        in: 'header',
        required: false,
        description: 'The `ETag` of a copy the client or a cache holds; 304 when it is current',
        schema: { type: 'string' },
      });
    }
    if (route.lastModified) {
      parameters.push({
        name: 'If-Modified-Since',
        in: 'header',
        required: false,
        description:
          'The `Last-Modified` of a copy held; 304 when unchanged since (ignored with `If-None-Match`)',
        schema: { type: 'string' },
      });
    }
    if (route.conditional === 'if-match') {
      parameters.push({
        name: 'If-Match',
        in: 'header',
        required: false,
        description: 'The ETag of the version to change; 412 when it is not current',
        schema: { type: 'string' },
      });
    }
    if (op.writes) parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
    const headers: Record<string, unknown> = {
      'Cache-Control': {
        description: read
          ? 'Reads may be stored by any cache: `public, no-cache` (revalidate before each reuse), or `public, max-age=<REST_CACHE_MAX_AGE_SECONDS>, must-revalidate`'
          : '`no-store`: a write’s reply is never stored',
        schema: { type: 'string' },
      },
      ...(read
        ? {
            ETag: {
              description: route.lastModified
                ? 'The validator: the version for a book, a digest of the bytes otherwise'
                : 'A weak validator: a digest of the bytes',
              schema: { type: 'string' },
            },
          }
        : {}),
      ...(route.lastModified
        ? {
            'Last-Modified': {
              description: 'When the entity last changed, once that second is over',
              schema: { type: 'string' },
            },
          }
        : {}),
      ...(route.status === 201
        ? { Location: { description: 'The new resource', schema: { type: 'string' } } }
        : {}),
      ...(op.writes
        ? { 'Idempotent-Replayed': { $ref: '#/components/headers/IdempotentReplayed' } }
        : {}),
    };
    const success: Record<string, unknown> =
      route.status === 204
        ? { description: 'Deleted', headers }
        : {
            description: route.status === 201 ? 'Created' : 'OK',
            ...(Object.keys(headers).length ? { headers } : {}),
            content: successContent(operation, outputId, include?.schema),
          };
    const responses: Record<string, unknown> = {
      [String(route.status)]: success,
      ...errorResponses(operation, route),
    };
    if (read) {
      responses['304'] = {
        description: `Not modified: the copy the client holds is current (If-None-Match${route.lastModified ? ', If-Modified-Since' : ''})`,
      };
    }
    (paths[route.path] ??= {})[route.method] = {
      operationId: operation,
      summary: op.summary,
      description: `${op.summary}. ${op.writes ? 'Needs an API key (`Authorization: Bearer <key>`).' : 'Public.'} The catalogue operation \`${operation}\`.`,
      tags: [operation.split('.')[0]],
      ...(parameters.length ? { parameters } : {}),
      ...(route.input === 'body'
        ? {
            requestBody: {
              required: true,
              content: bodyContent(operation),
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
      contact: { name: 'Bookshop' },
      version: '1.0.0',
      description:
        'Authors, books and orders. Money is integer cents; times are ISO-8601 UTC. Writes need an API key.',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'authors', description: 'Authors of the books' },
      { name: 'books', description: 'Books, their prices and their stock' },
      {
        name: 'orders',
        description: 'Orders: placed atomically, cancelled with their stock put back',
      },
    ],
    paths,
    components: {
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Makes a retry of this write safe (CONTRACT.md, "Safe retries"): a repeat with the same key, API key, operation and input gets the first response again, with `Idempotent-Replayed: true`, and changes nothing; the key with another operation or input is 409 CONFLICT. A repeat sent while the first is running waits for it. Keys are kept at least 24 hours; a write that failed records nothing and may be retried with its key.',
          schema: { type: 'string', pattern: '^[\\x21-\\x7E]{1,255}$' },
          example: 'order-2026-12-02-0001',
        },
      },
      headers: {
        IdempotentReplayed: {
          description:
            'Present, `true`, when this is the recorded response of an earlier request with the same `Idempotency-Key`',
          schema: { type: 'string', const: 'true' },
        },
      },
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API key from API_KEYS (`dev-key` in development)',
        },
      },
      schemas: {
        ...referenced(schemas, paths),
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
              items: {
                type: 'object',
                properties: {
                  path: { type: 'string' },
                  message: { type: 'string' },
                  bookId: { type: 'string' },
                  requested: { type: 'integer' },
                  available: { type: 'integer' },
                },
              },
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
