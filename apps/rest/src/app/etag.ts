import { DomainError, type FieldIssue } from '@bookshop/domain';

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

/** The opaque tag of an entity tag, weak or strong. */
const opaque = (tag: string) => tag.replace(/^W\//, '');

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/` is ignored on both sides. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return tags(header).some((tag) => tag === '*' || opaque(tag) === opaque(etag));
}

/**
 * A precondition of the request that failed (RFC 9110 §13.1.1): answered 412
 * with the domain error's code (CONFLICT) and details.
 */
export class PreconditionFailed extends Error {
  constructor(readonly error: DomainError) {
    super(error.message);
  }
}

/**
 * `If-Match` is the HTTP spelling of `expectedVersion`, and the one place it
 * is read. The write gets the version the header demands; a version that is
 * not current — stale, weak or foreign — fails as PreconditionFailed (412).
 * The same mismatch sent as `expectedVersion` in the body stays a 409.
 */
export async function withIfMatch<T>(
  header: string | undefined,
  write: (expectedVersion: number | undefined) => Promise<T>,
): Promise<T> {
  if (header === undefined) return write(undefined);
  try {
    return await write(versionFromIfMatch(header));
  } catch (error) {
    throw isStaleVersion(error) ? new PreconditionFailed(error) : error;
  }
}

function isStaleVersion(error: unknown): error is DomainError {
  return (
    error instanceof DomainError &&
    error.code === 'CONFLICT' &&
    (error.details as readonly FieldIssue[] | undefined)?.some(
      (issue) => issue.path === 'expectedVersion',
    ) === true
  );
}

/**
 * The version an If-Match header demands (RFC 9110 §13.1.1, strong
 * comparison). `*` demands none. A weak or foreign tag can never match, so it
 * fails like a stale version, with CONFLICT at `expectedVersion`.
 */
function versionFromIfMatch(header: string): number | undefined {
  const list = tags(header);
  if (list.includes('*')) return undefined;
  const versions = list
    // The XML representation's tag names the same version (representations.ts).
    .map((tag) => /^"(\d{1,15})(?:-xml)?"$/.exec(tag)?.[1])
    .filter((v): v is string => !!v);
  if (versions.length !== 1 || list.length !== 1) {
    throw DomainError.conflict('If-Match names no current version of this book', [
      { path: 'expectedVersion', message: 'If-Match must be one strong ETag of this book or *' },
    ]);
  }
  return Number(versions[0]);
}
