import { freshTestDatabase, httpClient, type RunningService, startService } from '@bookshop/testing';

export const KEY = 'e2e-key';

/** The REST service built from this tree, on a fresh database of the run's Postgres container. */
export async function startRest(env: Record<string, string> = {}) {
  const service: RunningService = await startService('rest', {
    env: { DATABASE_URL: await freshTestDatabase('rest'), API_KEYS: KEY, ...env },
  });
  return { service, http: httpClient(service.url) };
}

let isbnCounter = 0;

/** A valid ISBN-13 no other test uses. */
export function uniqueIsbn(): string {
  const first12 = `979${String(process.pid % 1000).padStart(3, '0')}${String(++isbnCounter).padStart(6, '0')}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return `${first12}${(10 - (sum % 10)) % 10}`;
}
