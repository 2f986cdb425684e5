import { type DomainError } from '@bookshop/domain';
import { RateLimits } from './rate-limits';

const settings = { windowMs: 60_000, reads: 3, writes: 2, authFailures: 2 };

async function codeOf(attempt: Promise<void>): Promise<string | undefined> {
  try {
    await attempt;
    return undefined;
  } catch (error) {
    return (error as DomainError).code;
  }
}

describe('RateLimits', () => {
  it('counts reads per address and fails past the limit with RATE_LIMITED and a retry time', async () => {
    const limits = new RateLimits(settings);
    for (let i = 0; i < 3; i++) await limits.read('10.0.0.1');
    await expect(limits.read('10.0.0.1')).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number) as number,
    });
    // Another address has its own count.
    expect(await codeOf(limits.read('10.0.0.2'))).toBeUndefined();
  });

  it('counts writes per API key', async () => {
    const limits = new RateLimits(settings);
    await limits.write('key-a');
    await limits.write('key-a');
    expect(await codeOf(limits.write('key-a'))).toBe('RATE_LIMITED');
    expect(await codeOf(limits.write('key-b'))).toBeUndefined();
  });

  it('stops authentication from an address after its failures, before a key is even tried', async () => {
    const limits = new RateLimits(settings);
    expect(await codeOf(limits.assertMayAuthenticate('10.0.0.9'))).toBeUndefined();
    await limits.authenticationFailed('10.0.0.9');
    await limits.authenticationFailed('10.0.0.9');
    expect(await codeOf(limits.assertMayAuthenticate('10.0.0.9'))).toBe('RATE_LIMITED');
    expect(await codeOf(limits.assertMayAuthenticate('10.0.0.10'))).toBeUndefined();
  });

  it('turns a limit off with 0', async () => {
    const limits = new RateLimits({ windowMs: 1000, reads: 0, writes: 0, authFailures: 0 });
    for (let i = 0; i < 100; i++) await limits.read('a');
    await limits.authenticationFailed('a');
    expect(await codeOf(limits.assertMayAuthenticate('a'))).toBeUndefined();
  });
});
