import { DomainError } from './errors';

/** Where a page starts: after the entity with this creation time and id (lists order by both). */
export interface PagePosition {
  createdAt: string;
  id: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Cursors are opaque to clients: base64url of `createdAt|id`. Base64url keeps
 * them safe in URLs and XML without escaping.
 */
export function encodeCursor(position: PagePosition): string {
  return btoa(`${position.createdAt}|${position.id}`)
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function decodeCursor(cursor: string): PagePosition {
  let text: string;
  try {
    text = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    throw DomainError.invalidField('cursor', 'is not a cursor this service issued');
  }
  const [createdAt, id, ...rest] = text.split('|');
  if (
    !createdAt ||
    !id ||
    rest.length > 0 ||
    !ISO.test(createdAt) ||
    !isRealTime(createdAt) ||
    !isUuidShaped(id)
  ) {
    throw DomainError.invalidField('cursor', 'is not a cursor this service issued');
  }
  return { createdAt, id: canonicalId(id) };
}

/** `2024-13-45T99:99:99.999Z` has the shape of a time but names none: it must round-trip. */
function isRealTime(iso: string): boolean {
  const time = Date.parse(iso);
  return Number.isFinite(time) && new Date(time).toISOString() === iso;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for the textual shape a database uuid accepts; anything else cannot name an entity. */
export function isUuidShaped(id: string): boolean {
  return UUID.test(id);
}

/**
 * Ids are UUIDs compared case-insensitively and returned in lower case
 * (CONTRACT.md, "Domain"): a UUID-shaped id is lower-cased wherever a client's
 * id enters (the input schemas, cursors, batch reads), so `0C9B…` and `0c9b…`
 * are one entity for every rule. Anything else is left as it is, to be refused.
 */
export function canonicalId(id: string): string {
  return isUuidShaped(id) ? id.toLowerCase() : id;
}
