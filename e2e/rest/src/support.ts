import {
  freshTestDatabase,
  httpClient,
  type RunningService,
  startService,
} from '@bookshop/testing';

export const KEY = 'e2e-key';

/** The REST service built from this tree, on a fresh database of the run's Postgres container. */
export async function startRest(env: Record<string, string> = {}) {
  const service: RunningService = await startService('rest', {
    env: { DATABASE_URL: await freshTestDatabase('rest'), API_KEYS: KEY, ...env },
  });
  return { service, http: httpClient(service.url) };
}

export { uniqueIsbn } from '@bookshop/testing';
