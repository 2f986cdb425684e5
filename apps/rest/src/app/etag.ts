import { DomainError } from '@bookshop/domain';

/** A strong ETag from the book's version (RFC 9110 §8.8.3). */
export function etagOf(entity: { version: number }): string {
  return `"${entity.version}"`;
}

function tags(header: string): string[] {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/` is ignored. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return tags(header).some((tag) => tag === '*' || tag.replace(/^W\//, '') === etag);
}

/**
 * The version an If-Match header demands (RFC 9110 §13.1.1, strong
 * comparison). `*` demands none. A weak or foreign tag can never match, so it
 * fails like a stale version, with CONFLICT at `expectedVersion` (→ 412).
 */
export function versionFromIfMatch(header: string): number | undefined {
  const list = tags(header);
  if (list.includes('*')) return undefined;
  const versions = list
    .map((tag) => /^"(\d{1,15})"$/.exec(tag)?.[1])
    .filter((v): v is string => !!v);
  if (versions.length !== 1 || list.length !== 1) {
    throw DomainError.conflict('If-Match names no current version of this book', [
      { path: 'expectedVersion', message: 'If-Match must be one strong ETag of this book or *' },
    ]);
  }
  return Number(versions[0]);
}
