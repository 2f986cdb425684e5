import { isNotYetAvailable, untilAvailable } from './database-startup';

const notYet = Object.assign(new Error('the database system is in recovery mode'), {
  code: '57P03',
});
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
  code: 'ECONNREFUSED',
});

/** A clock that only the waits move. */
function fakeTime() {
  let t = 0;
  return { now: () => t, sleep: (ms: number) => Promise.resolve(void (t += ms)) };
}

describe('starting beside a database that is not yet available', () => {
  it('knows 57P03, also as the cause of another error', () => {
    expect(isNotYetAvailable(notYet)).toBe(true);
    expect(isNotYetAvailable(new Error('migration failed', { cause: notYet }))).toBe(true);
    expect(isNotYetAvailable(refused)).toBe(false);
    expect(isNotYetAvailable(undefined)).toBe(false);
  });

  it('knows a session the server ended while it restarts, and a connection that dropped', () => {
    const ended = (code: string) => Object.assign(new Error('terminating connection'), { code });
    // Another server process crashed; a fast shutdown (a restart).
    expect(isNotYetAvailable(ended('57P02'))).toBe(true);
    expect(isNotYetAvailable(ended('57P01'))).toBe(true);
    // How pg says the server went away without a word, also as a cause.
    const dropped = new Error('Connection terminated unexpectedly');
    expect(isNotYetAvailable(dropped)).toBe(true);
    expect(isNotYetAvailable(new Error('migration failed', { cause: dropped }))).toBe(true);
    // A wrong password (28P01) and a missing database (3D000) do not pass by themselves.
    expect(isNotYetAvailable(ended('28P01'))).toBe(false);
    expect(isNotYetAvailable(ended('3D000'))).toBe(false);
  });

  it('tries again while the server is starting or recovering, then goes on', async () => {
    const results = [notYet, notYet, 'ready'];
    const waits: unknown[] = [];
    const value = await untilAvailable(
      () => {
        const next = results.shift();
        return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
      },
      { withinMs: 10_000, everyMs: 500, onWait: (error) => waits.push(error), ...fakeTime() },
    );
    expect(value).toBe('ready');
    expect(waits).toEqual([notYet, notYet]);
  });

  it('fails at once on any other error', async () => {
    let attempts = 0;
    await expect(
      untilAvailable(
        () => {
          attempts += 1;
          return Promise.reject(refused);
        },
        { withinMs: 10_000, everyMs: 500, ...fakeTime() },
      ),
    ).rejects.toBe(refused);
    expect(attempts).toBe(1);
  });

  it('gives up with the last error once its time is over', async () => {
    let attempts = 0;
    await expect(
      untilAvailable(
        () => {
          attempts += 1;
          return Promise.reject(notYet);
        },
        { withinMs: 2_000, everyMs: 500, ...fakeTime() },
      ),
    ).rejects.toBe(notYet);
    expect(attempts).toBe(5);
  });
});
