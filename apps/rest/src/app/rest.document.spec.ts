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
