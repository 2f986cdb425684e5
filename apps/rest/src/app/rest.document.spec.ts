import { OPERATION_NAMES, operationErrors } from '@bookshop/domain';
import { readXmlDocument } from '@bookshop/xml';
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
      xml: { name: 'i' },
    });
    // Everywhere else `include` is not a parameter.
    const authors = document.paths['/api/authors']?.['get'] as unknown as {
      parameters: { name: string }[];
    };
    expect(authors.parameters.map(({ name }) => name)).not.toContain('include');
  });

  describe('in XML and CSV', () => {
    type Media = { schema: Record<string, any>; example?: unknown };
    const schemas = (document as unknown as { components: { schemas: Record<string, any> } })
      .components.schemas;
    const operations = Object.values(document.paths).flatMap((methods) =>
      Object.values(methods as Record<string, any>),
    ) as {
      operationId: string;
      requestBody?: { content: Record<string, Media> };
      responses: Record<string, { content?: Record<string, Media> }>;
    }[];
    const media = operations.flatMap((operation) => [
      ...Object.entries(operation.requestBody?.content ?? {}).map(([type, m]) => ({
        where: `${operation.operationId} body`,
        type,
        media: m,
      })),
      ...Object.entries(operation.responses).flatMap(([status, response]) =>
        Object.entries(response.content ?? {}).map(([type, m]) => ({
          where: `${operation.operationId} ${status}`,
          type,
          media: m,
        })),
      ),
    ]);
    const json = (where: string, type: string) =>
      media.find((m) => m.where === where && m.type === type)?.media;

    it('offers every body and every reply as JSON and as XML, problems as problem+xml', () => {
      for (const { where, type } of media.filter((m) => m.type.endsWith('json'))) {
        const xml = type === 'application/json' ? 'application/xml' : 'application/problem+xml';
        expect({ where, xml: json(where, xml) !== undefined }).toEqual({ where, xml: true });
      }
    });

    it('gives each XML example as the XML mapping of its JSON example, read back by the schema', () => {
      const examples = media.filter((m) => m.type === 'application/xml' && m.media.example);
      expect(examples.length).toBeGreaterThanOrEqual(12);
      for (const { where, media: xml } of examples) {
        const { xml: root, ...schema } = xml.schema;
        const read = readXmlDocument(xml.example as string, {
          root: root.name,
          namespace: root.namespace,
          schema,
          definitions: schemas,
        });
        expect({ where, read }).toEqual({
          where,
          read: json(where, 'application/json')?.example,
        });
      }
    });

    it('offers the two lists as CSV with a header row', () => {
      const csv = media.filter((m) => m.type === 'text/csv');
      expect(csv.map((m) => m.where).sort()).toEqual(['authors.list 200', 'books.list 200']);
      for (const { media: m } of csv) expect(m.example).toMatch(/^id,[a-zA-Z,]+\r\n/);
    });
  });
});
