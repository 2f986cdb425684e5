import { freshTestDatabase, type RunningService, startService } from '@bookshop/testing';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

export const KEY = 'e2e-key';

export interface GqlResult {
  status: number;
  body: {
    data?: any;
    errors?: { message: string; extensions?: { code?: string; details?: unknown } }[];
  };
}

/** The GraphQL service built from this tree, on the given database (a fresh one by default). */
export async function startGraphql(env: Record<string, string> = {}, databaseUrl?: string) {
  const url = databaseUrl ?? (await freshTestDatabase('graphql'));
  const service: RunningService = await startService('graphql', {
    env: { DATABASE_URL: url, API_KEYS: KEY, ...env },
  });

  const gql = async (
    query: string,
    variables?: Record<string, unknown>,
    key?: string,
    headers: Record<string, string> = {},
  ): Promise<GqlResult> => {
    const response = await fetch(`${service.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GqlResult['body'] };
  };

  /** A graphql-ws client; `authorization` goes in the connection parameters. */
  const ws = (authorization?: string): Client =>
    createClient({
      url: `${service.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: authorization ? { authorization } : {},
      retryAttempts: 0,
      lazy: true,
    });

  return { service, databaseUrl: url, gql, ws };
}

export { take } from '@bookshop/domain/testing';

export { uniqueIsbn } from '@bookshop/testing';
