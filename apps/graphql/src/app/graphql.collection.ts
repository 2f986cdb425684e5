import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { catalogue, DEFAULT_PORTS } from '@bookshop/domain';
import { collectionAbout, DEV_API_KEY, type HttpCollection } from '@bookshop/platform';
import { GRAPHQL_BINDINGS, type GraphqlBinding } from './graphql.bindings';

const SCHEMA = buildSchema(readFileSync(join(__dirname, '../../schema.graphql'), 'utf8'));

/** Connection arguments (Relay's) carry the catalogue's page size and cursor. */
const PAGE_ARGUMENTS: Record<string, string> = { first: 'limit', after: 'cursor' };

/**
 * Every field of a type, `id` first: objects nest their own fields, but a
 * relation the type already names by id (`Book.author` beside `authorId`)
 * and a field that takes arguments (`Author.books`) are left for the reader
 * to add.
 */
function selection(type: GraphQLNamedType): string {
  if (!isObjectType(type)) return '';
  const fields = Object.values(type.getFields());
  const names = new Set(fields.map((field) => field.name));
  const parts = fields
    .filter((field) => field.args.length === 0 && !names.has(`${field.name}Id`))
    .map((field) => {
      const inner = getNamedType(field.type);
      return isObjectType(inner) ? `${field.name} ${selection(inner)}` : field.name;
    })
    .sort((a, b) => Number(b === 'id') - Number(a === 'id'));
  return `{ ${parts.join(' ')} }`;
}

/** The root field's arguments as variables: named fields directly, the rest in the input objects. */
function variablesFor(field: GraphQLField<unknown, unknown>, input: Record<string, unknown>) {
  const left = new Map(Object.entries(input).filter(([, value]) => value !== undefined));
  const variables: Record<string, unknown> = {};
  const declared: string[] = [];
  const take = (arg: GraphQLArgument, value: unknown) => {
    variables[arg.name] = value;
    declared.push(`$${arg.name}: ${arg.type.toString()}`);
  };
  for (const arg of field.args) {
    const name = PAGE_ARGUMENTS[arg.name] ?? arg.name;
    if (left.has(name)) {
      take(arg, left.get(name));
      left.delete(name);
    }
  }
  for (const arg of field.args) {
    const type = getNamedType(arg.type);
    if (arg.name in variables || !isInputObjectType(type)) continue;
    const fields = Object.keys(type.getFields()).filter((name) => left.has(name));
    if (fields.length === 0 && !isNonNullType(arg.type)) continue;
    take(arg, Object.fromEntries(fields.map((name) => [name, left.get(name)])));
    for (const name of fields) left.delete(name);
  }
  if (left.size > 0)
    throw new Error(`${field.name}: no argument takes ${[...left.keys()].join(', ')}`);
  return { variables, declared };
}

/**
 * The example script over GraphQL (`collections/graphql.http`): for each step
 * one document, its root field from GRAPHQL_BINDINGS, its arguments and
 * selection from the committed schema.graphql, the input as variables.
 */
export const GRAPHQL_COLLECTION: HttpCollection = {
  about: collectionAbout('GraphQL', 'apps/graphql/src/app/graphql.bindings.ts and schema.graphql'),
  variables: { base: `http://localhost:${DEFAULT_PORTS.graphql}`, apiKey: DEV_API_KEY },
  request: ({ operation, input }) => {
    const binding: GraphqlBinding = GRAPHQL_BINDINGS[operation];
    const root = binding.kind === 'query' ? SCHEMA.getQueryType() : SCHEMA.getMutationType();
    const field = root?.getFields()[binding.field];
    if (!field) throw new Error(`schema.graphql has no ${binding.kind} field ${binding.field}`);
    const { variables, declared } = variablesFor(field, input);
    const args = Object.keys(variables).map((name) => `${name}: $${name}`);
    const query =
      `${binding.kind}${declared.length ? ` (${declared.join(', ')})` : ''} ` +
      `{ ${field.name}${args.length ? `(${args.join(', ')})` : ''} ${selection(getNamedType(field.type))} }`;
    return {
      method: 'POST',
      target: '/graphql',
      headers: {
        'Content-Type': 'application/json',
        ...(catalogue[operation].writes ? { Authorization: 'Bearer {{apiKey}}' } : {}),
      },
      body: JSON.stringify({ query: query.replace(/ {2,}/g, ' ').trim(), variables }, null, 2),
    };
  },
  reference: (step, field) =>
    `{{${step.name}.response.body.$.data.${GRAPHQL_BINDINGS[step.operation].field}.${field}}}`,
};
