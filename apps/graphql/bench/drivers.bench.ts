/**
 * Measures the two GraphQL drivers @nestjs/graphql offers on Fastify —
 * Apollo Server 5 and Mercurius — with the service's own resolvers, loaders
 * and data, on one query mix. docs/adr/0003 records a run.
 *
 *   npx nx run graphql:bench-drivers            (BENCH_SECONDS, BENCH_CONNECTIONS to change the load)
 */
import 'reflect-metadata';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { BatchReads, Bookshop } from '@bookshop/domain';
import { aBook } from '@bookshop/domain/testing';
import { ApiKeys, loadConfig, PlatformModule } from '@bookshop/platform';
import autocannon from 'autocannon';
import { graphqlOptions, RESOLVERS } from '../src/app/app.module';
import { createLoaders } from '../src/app/loaders';
import { loadGraphqlSettings } from '../src/app/settings';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 10);
const config = loadConfig(
  { LOG_LEVEL: 'silent', API_KEYS: 'bench', PORT: '0' },
  { name: 'graphql' },
);
// The service's defaults, with introspection on as in development: graphql-http's audits query __type.
const settings = loadGraphqlSettings(
  { GRAPHQL_INTROSPECTION: 'true', GRAPHQL_IDE: 'false' },
  config,
);

/** The query mix: a list with a batched field, a nested read, a read by id. */
const MIX = [
  '{ books(first: 20) { edges { node { title priceCents author { name } } } } }',
  '{ authors(first: 10) { edges { node { name books(first: 5) { edges { node { title stock } } } } } } }',
  '{ book(id: "0c9b2f4e-5d2a-4f6b-8e3c-000000000101") { title isbn author { name bio } } }',
];

function graphqlModule(driver: 'apollo' | 'mercurius'): DynamicModule {
  if (driver === 'apollo') {
    return GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [BatchReads, ApiKeys],
      useFactory: (reads: BatchReads, keys: ApiKeys) => ({
        ...graphqlOptions(settings, reads, keys),
        subscriptions: undefined,
      }),
    });
  }
  return GraphQLModule.forRootAsync<MercuriusDriverConfig>({
    driver: MercuriusDriver,
    inject: [BatchReads],
    useFactory: (reads: BatchReads) => ({
      path: '/graphql',
      autoSchemaFile: true,
      sortSchema: true,
      graphiql: false,
      jit: 1,
      context: () => ({ loaders: createLoaders(reads) }),
    }),
  });
}

async function start(driver: 'apollo' | 'mercurius'): Promise<NestFastifyApplication> {
  @Module({
    imports: [PlatformModule.forRoot(config), graphqlModule(driver)],
    providers: RESOLVERS,
  })
  class BenchModule {}
  const app = await NestFactory.create<NestFastifyApplication>(BenchModule, new FastifyAdapter(), {
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  return app;
}

async function seed(app: NestFastifyApplication): Promise<void> {
  const bookshop = app.get(Bookshop);
  for (let a = 0; a < 20; a++) {
    const author = await bookshop.execute('authors.create', { name: `Bench author ${a}` });
    for (let b = 0; b < 5; b++) await bookshop.execute('books.create', aBook(author.id));
  }
}

async function measure(driver: 'apollo' | 'mercurius') {
  const app = await start(driver);
  await seed(app);
  const { port } = app.getHttpServer().address() as { port: number };
  const requests = MIX.map((query) => ({
    method: 'POST' as const,
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  }));
  // The GraphQL-over-HTTP requirements the driver meets as configured here (graphql-http's audits).
  const { serverAudits } = await import('graphql-http');
  const failedMusts: string[] = [];
  for (const audit of serverAudits({ url: `http://127.0.0.1:${port}/graphql`, fetchFn: fetch })) {
    if (!audit.name.startsWith('MUST')) continue;
    const outcome = await audit.fn();
    if (outcome.status !== 'ok') failedMusts.push(`${audit.id} ${audit.name}`);
  }
  // Warm up JIT and caches, then measure.
  await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: 3,
    requests,
  });
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests,
  });
  await app.close();
  return {
    driver,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    failedMusts,
  };
}

async function main() {
  const rows = [];
  for (const driver of ['apollo', 'mercurius'] as const) rows.push(await measure(driver));
  console.log(
    `\n${SECONDS} s, ${CONNECTIONS} connections, the 3-query mix, PGlite in memory, Node ${process.version}\n`,
  );
  console.log('| driver | requests/s | p50 ms | p99 ms | errors | graphql-http MUSTs failed |');
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${row.driver} | ${row.requestsPerSecond} | ${row.p50} | ${row.p99} | ${row.errors} | ${row.failedMusts.join('; ') || 'none'} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
