/**
 * SQLSTATE 57P03, `cannot_connect_now`: the server is there but not taking
 * sessions yet — starting up, recovering after a crash, or shutting down
 * ("the database system is starting up", "… is in recovery mode"). Unlike a
 * refused connection or a wrong password, it passes by itself.
 */
export function isNotYetAvailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown };
    if (candidate.code === '57P03') return true;
    current = candidate.cause;
  }
  return false;
}

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
 * not yet available (57P03) and `withinMs` has not passed, tries again after
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
