import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks API keys in constant time: both sides are hashed to the same length
 * first (timingSafeEqual needs equal lengths, and comparing lengths would leak
 * them), and every configured key is compared, so the time does not say which
 * key came close.
 */
export class ApiKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  verify(candidate: string | undefined | null): boolean {
    if (!candidate) return false;
    const offered = digest(candidate);
    let match = false;
    for (const key of this.digests) {
      match = timingSafeEqual(key, offered) || match;
    }
    return match;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(value ?? '');
  return match?.[1];
}

/**
 * Whose idempotency keys a write's are: a digest of the API key that
 * authorised it, so that records never hold a key itself and two API keys'
 * idempotency keys never meet.
 */
export function keyOwner(apiKey: string): string {
  return digest(apiKey).toString('base64url');
}
