import { z } from 'zod';
import { catalogue, type OperationName } from './catalogue';

/** The JSON Schema dialects the generated documents use: OpenAPI 3.1 wants 2020-12; OpenRPC and AsyncAPI draft-07. */
export type JsonSchemaTarget = 'draft-2020-12' | 'draft-7';
export type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

/**
 * Every named result schema of the catalogue (Author, Book, Order, pages), as
 * JSON Schema with references between them at `#/components/schemas/<name>`.
 */
export function resultSchemas(target: JsonSchemaTarget): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target,
    uri: (name) => `#/components/schemas/${name}`,
  }) as { schemas: Record<string, JsonSchema> };
  // `uri` names the references between them; as an `$id` the same text would be a JSON-pointer
  // fragment, which JSON Schema forbids (an `$id` is a base URI), and Swagger UI would then show
  // no examples. The documents place each schema under components, so the references resolve.
  for (const schema of Object.values(schemas)) {
    delete schema['$schema'];
    delete schema['$id'];
  }
  return schemas;
}

/** An operation's input as a client sends it (before normalisation), as JSON Schema. */
export function inputSchema(name: OperationName, target: JsonSchemaTarget): JsonSchema {
  return jsonSchemaOf(catalogue[name].input, target);
}

/** Any input schema of the domain (the subscribe parameters, say) as a client sends it, as JSON Schema. */
export function jsonSchemaOf(input: z.ZodType, target: JsonSchemaTarget): JsonSchema {
  const schema = z.toJSONSchema(input, {
    target,
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  delete schema['$schema'];
  return schema;
}

/** The name of an operation's result schema in `resultSchemas`. */
export function resultSchemaName(name: OperationName): string {
  return (catalogue[name].output.meta() as { id?: string } | undefined)?.id ?? 'unknown';
}
