/**
 * Whether a failure to open the database passes by itself: the server is there
 * but not taking sessions yet (SQLSTATE 57P03, `cannot_connect_now`: starting
 * up, recovering after a crash, or shutting down — "the database system is in
 * recovery mode"), or it ended the session it had accepted because it is
 * going through a restart (57P01, `admin_shutdown`; 57P02, `crash_shutdown`,
 * when another server process crashed), or the connection dropped under the
 * client with no word ("Connection terminated unexpectedly", how `pg` reports
 * a server process that went away). Unlike a refused connection or a wrong
 * password, each of these passes once the server is back.
 */
export function isNotYetAvailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && PASSING.has(candidate.code)) return true;
    if (candidate.message === 'Connection terminated unexpectedly') return true;
    current = candidate.cause;
  }
  return false;
}

/** The SQLSTATEs of a server starting, recovering or restarting (class 57, operator intervention). */
const PASSING = new Set(['57P01', '57P02', '57P03']);

export interface StartupWait {
  /** How long to go on trying after the first attempt (ms). */
  withinMs: number;
  /** Between attempts (ms). */
  everyMs: number;
  /** Told of each wait, with the error that caused it. */
  onWait?: (error: unknown) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/**
 * Runs `attempt` until it succeeds; while it fails because the database is
 * not yet available (`isNotYetAvailable`) and `withinMs` has not passed, tries again after
 * `everyMs`. Any other failure, or the last one, is thrown as it is: a
 * service whose database is down or misnamed still stops at once, with the
 * reason, and one that starts beside a database still starting or recovering
 * waits for it instead of exiting.
 */
export async function untilAvailable<T>(attempt: () => Promise<T>, wait: StartupWait): Promise<T> {
  const now = wait.now ?? (() => performance.now());
  const sleep =
    wait.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + wait.withinMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isNotYetAvailable(error) || now() + wait.everyMs > deadline) throw error;
      wait.onWait?.(error);
      await sleep(wait.everyMs);
    }
  }
}
