import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * GraphiQL's files, copied beside the bundle by the build (webpack.config.js)
 * from the `graphiql`, `react` and `react-dom` packages, so the IDE loads
 * nothing from a CDN and works without internet.
 */
const ASSETS: Record<string, string> = {
  'graphiql.min.js': 'text/javascript; charset=utf-8',
  'graphiql.min.css': 'text/css; charset=utf-8',
  'react.production.min.js': 'text/javascript; charset=utf-8',
  'react-dom.production.min.js': 'text/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>GraphiQL · Bookshop</title>
    <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
    <link rel="stylesheet" href="/graphiql/graphiql.min.css" />
    <script src="/graphiql/react.production.min.js"></script>
    <script src="/graphiql/react-dom.production.min.js"></script>
    <script src="/graphiql/graphiql.min.js"></script>
  </head>
  <body>
    <div id="graphiql">Loading…</div>
    <script>
      const fetcher = GraphiQL.createFetcher({
        url: '/graphql',
        subscriptionUrl: (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql',
      });
      ReactDOM.createRoot(document.getElementById('graphiql')).render(
        React.createElement(GraphiQL, {
          fetcher,
          defaultEditorToolsVisibility: true,
          defaultQuery: '{ books(first: 3) { edges { node { title author { name } } } } }',
        }),
      );
    </script>
  </body>
</html>
`;

/** Where the build put GraphiQL's files, if it did. */
function assetFolder(): string | undefined {
  const folder = join(__dirname, 'graphiql');
  return existsSync(join(folder, 'graphiql.min.js')) ? folder : undefined;
}

/**
 * Serves GraphiQL on `GET /graphql` to a browser (a request that accepts HTML
 * and carries no query) and its files under `/graphiql/`. A GET with a query
 * and every POST go on to GraphQL over HTTP as before.
 */
export function serveGraphiql(app: NestFastifyApplication): void {
  const folder = assetFolder();
  if (!folder) throw new Error('GraphiQL is not beside the bundle: build the service with nx');
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get<{ Params: { file: string } }>('/graphiql/:file', (request, reply) => {
    const type = ASSETS[request.params.file];
    if (!type) return reply.status(404).type('text/plain').send('Not found');
    return reply
      .type(type)
      .header('cache-control', 'public, max-age=86400')
      .send(readFileSync(join(folder, request.params.file)));
  });
  fastify.addHook('onRequest', async (request, reply) => {
    const url = new URL(request.url, 'http://localhost');
    if (request.method !== 'GET' || url.pathname !== '/graphql') return;
    if (url.searchParams.has('query')) return;
    if (!(request.headers.accept ?? '').includes('text/html')) return;
    return reply.type('text/html; charset=utf-8').send(PAGE);
  });
}
