import { DomainError } from './errors';

/**
 * A write's idempotency key as an adapter received it (CONTRACT.md, "Safe
 * retries"): the client's key, whose key it is, and for a JSON-RPC batch the
 * call's `id`, which the key covers together with the header's value.
 */
export interface IdempotencyKey {
  /** The client's key: 1–255 visible ASCII characters. */
  key: string;
  /** Whose key it is: a digest of the API key the write was authorised with. */
  owner: string;
  /** The call within the request that the key covers (a JSON-RPC batch call's `id`, as JSON). */
  call?: string;
}

/** What the contract allows as a key: visible ASCII, no spaces, 1 to 255 of them. */
const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The key as stored: the client's key, then the call it covers. A key holds no
 * space, so the two parts cannot run together ambiguously.
 */
export function storedIdempotencyKey({ key, call }: IdempotencyKey): string {
  if (!KEY.test(key)) {
    throw DomainError.invalidField(
      'idempotencyKey',
      'must be 1 to 255 visible ASCII characters (no spaces)',
    );
  }
  return call === undefined ? key : `${key} ${call}`;
}

/**
 * JSON with every object's members in code-point order, so that two inputs
 * that differ only in member order are one input. Values are what a parsed
 * input holds: JSON values, with `undefined` members left out as JSON does.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The SHA-256 of the input's canonical JSON, in hex: what a repeat's input is compared by. */
export async function inputDigest(input: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(input));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
