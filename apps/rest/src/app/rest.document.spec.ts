import { OPERATION_NAMES, operationErrors } from '@bookshop/domain';
import { REST_BINDINGS } from './rest.bindings';
import { buildOpenApiDocument } from './rest.document';
import { REST_ERRORS } from './rest-errors';

type Responses = Record<string, { description: string }>;
const document = buildOpenApiDocument() as {
  paths: Record<string, Record<string, { operationId: string; responses: Responses }>>;
};

describe('the OpenAPI document', () => {
  it.each(OPERATION_NAMES)(
    'documents %s at its binding, each catalogue error under its status with its code',
    (operation) => {
      const binding = REST_BINDINGS[operation];
      const entry = document.paths[binding.path]?.[binding.method];
      expect(entry?.operationId).toBe(operation);
      const responses = entry?.responses ?? {};
      expect(responses[String(binding.status)]).toBeDefined();
      const expected = operationErrors(operation).filter(
        ({ code }) => binding.input !== 'none' || code !== 'VALIDATION_FAILED',
      );
      for (const { code, when } of expected) {
        expect(responses[String(REST_ERRORS[code].status)]?.description).toContain(
          `${code}: ${when}`,
        );
      }
    },
  );

  it('documents the failed If-Match as 412 and the conditional read as 304', () => {
    expect(document.paths['/api/books/{id}']?.['patch']?.responses['412']?.description).toMatch(
      /^CONFLICT: `If-Match`/,
    );
    expect(document.paths['/api/books/{id}']?.['get']?.responses['304']).toBeDefined();
  });

  it('documents every read as conditional and cacheable, every write as never stored', () => {
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods ?? {})) {
        const described = operation as unknown as {
          parameters?: { name: string }[];
          responses: Record<string, { headers?: Record<string, { description: string }> }>;
        };
        const names = (described.parameters ?? []).map(({ name }) => name);
        const success = Object.entries(described.responses).find(([status]) =>
          status.startsWith('2'),
        )?.[1];
        const cacheControl = success?.headers?.['Cache-Control']?.description ?? '';
        const where = `${method} ${path}`;
        if (method === 'get') {
          expect({
            where,
            has304: '304' in described.responses,
            inm: names.includes('If-None-Match'),
          }).toEqual({ where, has304: true, inm: true });
          expect(cacheControl).toMatch(/public/);
        } else {
          expect({ where, cacheControl }).toEqual({
            where,
            cacheControl: expect.stringMatching(/^`no-store`/),
          });
        }
      }
    }
    const conditional = (path: string) =>
      (
        document.paths[path]?.['get'] as unknown as { parameters: { name: string }[] }
      ).parameters.map(({ name }) => name);
    expect(conditional('/api/books/{id}')).toContain('If-Modified-Since');
    expect(conditional('/api/authors/{id}')).toContain('If-Modified-Since');
    expect(conditional('/api/orders/{id}')).not.toContain('If-Modified-Since');
  });

  it('documents include=author on the list of books, and the compound document it returns', () => {
    const list = (document.paths['/api/books']?.['get'] ?? {}) as unknown as {
      parameters: { name: string; schema: unknown }[];
      responses: Record<string, { content: Record<string, { schema: unknown }> }>;
    };
    expect(list.parameters.find(({ name }) => name === 'include')?.schema).toEqual({
      type: 'string',
      enum: ['author'],
    });
    expect(list.responses['200']?.content['application/json']?.schema).toEqual({
      oneOf: [
        { $ref: '#/components/schemas/BookPage' },
        { $ref: '#/components/schemas/BookPageWithAuthors' },
      ],
    });
    const schemas = (document as unknown as { components: { schemas: Record<string, any> } })
      .components.schemas;
    expect(schemas['BookPageWithAuthors'].required).toEqual(['items', 'nextCursor', 'included']);
    expect(schemas['BookPageWithAuthors'].properties.included.properties.authors.items).toEqual({
      $ref: '#/components/schemas/Author',
    });
    // Everywhere else `include` is not a parameter.
    const authors = document.paths['/api/authors']?.['get'] as unknown as {
      parameters: { name: string }[];
    };
    expect(authors.parameters.map(({ name }) => name)).not.toContain('include');
  });
});
