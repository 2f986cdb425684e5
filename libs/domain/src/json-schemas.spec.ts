import { OPERATION_NAMES } from './catalogue';
import { inputSchema, resultSchemaName, resultSchemas } from './json-schemas';

describe('the JSON Schemas the documents embed', () => {
  const schemas = resultSchemas('draft-2020-12');

  it('names every result schema and refers between them under #/components/schemas', () => {
    for (const name of OPERATION_NAMES) expect(schemas).toHaveProperty(resultSchemaName(name));
    expect(JSON.stringify(schemas['BookPage'])).toContain('"$ref":"#/components/schemas/Book"');
  });

  it('carries no $id: a JSON-pointer fragment is not a base URI (JSON Schema 2020-12 §8.2.1)', () => {
    const all = [
      ...Object.values(schemas),
      ...Object.values(resultSchemas('draft-7')),
      ...OPERATION_NAMES.map((name) => inputSchema(name, 'draft-2020-12')),
    ];
    expect(JSON.stringify(all)).not.toContain('"$id"');
  });
});
