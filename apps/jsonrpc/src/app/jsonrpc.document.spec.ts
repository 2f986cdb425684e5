import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { OPERATION_NAMES, operationErrors } from '@bookshop/domain';
import { buildOpenRpcDocument } from './jsonrpc.document';

// Both packages' typings declare only types; their modules export the schemas.
const { openrpcDocument: metaSchema } = jest.requireActual<{ openrpcDocument: object }>(
  '@open-rpc/meta-schema',
);
const { jsonSchema: jsonSchemaMetaSchema } = jest.requireActual<{ jsonSchema: object }>(
  '@json-schema-tools/meta-schema',
);

describe('the OpenRPC document', () => {
  const document = buildOpenRpcDocument();

  it('is valid against the OpenRPC meta-schema', () => {
    // Both meta-schemas name their own dialect URL; they are draft-07 documents.
    const { $schema: _a, ...openrpc } = metaSchema as Record<string, unknown>;
    const { $schema: _b, $id: _c, ...jsonSchema } = jsonSchemaMetaSchema as Record<string, unknown>;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    // The OpenRPC meta-schema refers to it both with and without the trailing slash.
    ajv.addSchema(jsonSchema, 'https://meta.json-schema.tools');
    ajv.addSchema(structuredClone(jsonSchema), 'https://meta.json-schema.tools/');
    const validate = ajv.compile(openrpc);
    expect(validate(document) ? [] : validate.errors).toEqual([]);
  });

  it('lists every catalogue operation as a method taking params by name', () => {
    expect(document.methods.map((m) => m.name)).toEqual(OPERATION_NAMES);
    expect(document.methods.every((m) => m.paramStructure === 'by-name')).toBe(true);
  });

  it('describes params with the domain’s types and required flags', () => {
    const create = document.methods.find((m) => m.name === 'books.create')!;
    expect(create.params.map((p) => [p.name, p.required])).toEqual([
      ['title', true],
      ['authorId', true],
      ['isbn', true],
      ['priceCents', true],
      ['stock', false],
    ]);
    expect(create.params.find((p) => p.name === 'priceCents')!.schema).toMatchObject({
      type: 'integer',
      minimum: 0,
      maximum: 10_000_000,
    });
    expect(create.result.schema).toEqual({ $ref: '#/components/schemas/Book' });
    expect(create.errors.map((e) => e.code)).toEqual([
      -32602, -32001, -32009, -32029, -32030, -32603,
    ]);
  });

  it("lists each method's errors from the catalogue, with the string code in data", () => {
    for (const [index, method] of document.methods.entries()) {
      const operation = OPERATION_NAMES[index]!;
      expect(method.errors.map((e) => e.data.code)).toEqual(
        operationErrors(operation).map(({ code }) => code),
      );
    }
  });

  it('resolves every result reference', () => {
    for (const method of document.methods) {
      const ref = method.result.schema.$ref.replace('#/components/schemas/', '');
      expect(document.components.schemas).toHaveProperty(ref);
    }
  });
});
