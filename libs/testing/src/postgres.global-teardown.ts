import { removeSessionContainers } from './container-runtime';

/** Jest globalTeardown: stops the run's Postgres, then removes anything else the run started. */
export default async function teardown(): Promise<void> {
  try {
    await globalThis.__BOOKSHOP_POSTGRES__?.stop();
  } finally {
    await removeSessionContainers();
  }
}
