import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** An ISO-8601 UTC time, as the domain keeps it (CONTRACT.md: `scalar DateTime`). */
export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'ISO-8601 UTC time, e.g. 2025-01-01T09:30:00.000Z',
  serialize: (value) => {
    if (typeof value === 'string' && ISO.test(value)) return value;
    if (value instanceof Date) return value.toISOString();
    throw new GraphQLError('DateTime must be an ISO-8601 UTC string');
  },
  parseValue: (value) => {
    if (typeof value === 'string' && ISO.test(value)) return value;
    throw new GraphQLError('DateTime must be an ISO-8601 UTC string');
  },
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING && ISO.test(ast.value)) return ast.value;
    throw new GraphQLError('DateTime must be an ISO-8601 UTC string');
  },
});

function literal(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((value) => literal(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(
        ast.fields.map((field) => [field.name.value, literal(field.value, variables)]),
      );
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      return undefined;
  }
}

/** Any JSON value: an event's `data`. */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literal,
});
