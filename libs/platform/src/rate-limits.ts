import { DomainError } from '@bookshop/domain';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** One policy for all five services (CONTRACT.md, "Errors": RATE_LIMITED). 0 turns a limit off. */
export interface RateLimitSettings {
  /** The window every limit counts in (RATE_LIMIT_WINDOW_MS, default 60 000). */
  windowMs: number;
  /** Read calls per client address per window (RATE_LIMIT_READS, default 12 000: 200 a second). */
  reads: number;
  /** Write calls per API key per window (RATE_LIMIT_WRITES, default 6000: 100 a second). */
  writes: number;
  /** Failed authentications per client address per window (RATE_LIMIT_AUTH_FAILURES, default 30). */
  authFailures: number;
}

type Limiter = RateLimiterMemory | undefined;

/**
 * Counts operation calls, in memory, per instance: reads by client address,
 * writes by API key, failed authentications by client address with a much
 * lower limit. Past a limit a call fails with RATE_LIMITED and the seconds
 * until the window frees a slot (REST's `Retry-After`).
 */
export class RateLimits {
  private readonly readsLimiter: Limiter;
  private readonly writesLimiter: Limiter;
  private readonly failuresLimiter: Limiter;

  constructor(readonly settings: RateLimitSettings) {
    const limiter = (points: number): Limiter =>
      points > 0
        ? new RateLimiterMemory({
            points,
            duration: Math.max(1, Math.ceil(settings.windowMs / 1000)),
          })
        : undefined;
    this.readsLimiter = limiter(settings.reads);
    this.writesLimiter = limiter(settings.writes);
    this.failuresLimiter = limiter(settings.authFailures);
  }

  /** Counts one read from `address`. */
  read(address: string): Promise<void> {
    return consume(this.readsLimiter, address, 'reads from this address');
  }

  /** Counts one write by the API key `key`. */
  write(key: string): Promise<void> {
    return consume(this.writesLimiter, key, 'writes with this API key');
  }

  /** Fails while `address` has used up its failed authentications: a correct key is not even tried. */
  async assertMayAuthenticate(address: string): Promise<void> {
    if (!this.failuresLimiter) return;
    const state = await this.failuresLimiter.get(address);
    if (state && state.consumedPoints >= this.settings.authFailures) {
      throw rateLimited('failed authentications from this address', state.msBeforeNext);
    }
  }

  /** Counts one failed authentication from `address`. */
  async authenticationFailed(address: string): Promise<void> {
    await this.failuresLimiter?.penalty(address, 1);
  }
}

async function consume(limiter: Limiter, key: string, what: string): Promise<void> {
  if (!limiter) return;
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw rateLimited(what, rejection.msBeforeNext);
    throw rejection;
  }
}

function rateLimited(what: string, msBeforeNext: number): DomainError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new DomainError(
    'RATE_LIMITED',
    `Too many ${what}; try again in ${seconds} s`,
    undefined,
    seconds,
  );
}
