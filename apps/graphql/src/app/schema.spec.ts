import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, lexicographicSortSchema, parse, print, printSchema, visit } from 'graphql';
import { OPERATION_NAMES, operationErrors } from '@bookshop/domain';
import { RESOLVERS } from './app.module';
import { GRAPHQL_BINDINGS } from './graphql.bindings';
import { printGraphqlSchema } from './graphql.document';
import { GRAPHQL_ERRORS } from './graphql-errors';

const COMMITTED = join(__dirname, '../../schema.graphql');
const CONTRACT_COPY = join(__dirname, 'contract.graphql');
const CONTRACT = join(__dirname, '../../../../../shared/CONTRACT.md');

/** The schema's shape alone: sorted, without descriptions, so that only types and fields compare. */
function shape(sdl: string): string {
  const withoutDescriptions = visit(parse(sdl), {
    enter(node) {
      return 'description' in node && node.description
        ? { ...node, description: undefined }
        : undefined;
    },
  });
  return printSchema(lexicographicSortSchema(buildSchema(print(withoutDescriptions))));
}

describe('the GraphQL schema', () => {
  let printed: string;

  beforeAll(async () => {
    printed = await printGraphqlSchema(RESOLVERS);
    // `UPDATE_GRAPHQL_SCHEMA=1 npx nx test graphql` rewrites the committed file after a deliberate change.
    if (process.env['UPDATE_GRAPHQL_SCHEMA'] === '1') writeFileSync(COMMITTED, `${printed}\n`);
  });

  it('matches the committed schema.graphql (run with UPDATE_GRAPHQL_SCHEMA=1 to refresh it)', () => {
    expect(readFileSync(COMMITTED, 'utf8').trim()).toBe(printed.trim());
  });

  it('is exactly the SDL of the contract, type for type and field for field', () => {
    expect(shape(printed)).toBe(shape(readFileSync(CONTRACT_COPY, 'utf8')));
  });

  it.each(OPERATION_NAMES)(
    'serves %s as the root field GRAPHQL_BINDINGS names, its description listing the catalogue errors',
    (operation) => {
      const { field, kind } = GRAPHQL_BINDINGS[operation];
      const root = buildSchema(printed)[kind === 'query' ? 'getQueryType' : 'getMutationType']();
      const description = root?.getFields()[field]?.description ?? '';
      const nullable = kind === 'query' && operation.endsWith('.get');
      for (const { code } of operationErrors(operation)) {
        if (nullable && code === 'NOT_FOUND') continue;
        expect(description).toContain(`${GRAPHQL_ERRORS[code]} (`);
      }
    },
  );

  const contractBeside = existsSync(CONTRACT);
  (contractBeside ? it : it.skip)(
    'keeps contract.graphql identical to the SDL in CONTRACT.md',
    () => {
      const markdown = readFileSync(CONTRACT, 'utf8');
      const sdl = /```graphql\n([\s\S]*?)```/.exec(markdown)?.[1] ?? '';
      expect(shape(readFileSync(CONTRACT_COPY, 'utf8'))).toBe(shape(sdl));
    },
  );
});
