import { isUuidShaped } from '../cursor';
import { DomainError } from '../errors';
import { type AuthorRepository } from '../ports';

type Entity = 'author' | 'book' | 'order';

/**
 * Refuses a target id that cannot name an entity, before the store is asked:
 * a database uuid column would refuse the text with an error of its own,
 * and the contract says any id that names nothing is NOT_FOUND.
 */
export function assertCanExist(entity: Entity, id: string): void {
  if (!isUuidShaped(id)) throw DomainError.notFound(entity, id);
}

/** The operation's target as the store found it, or NOT_FOUND. */
export function found<T>(entity: Entity, id: string, value: T | null | undefined): T {
  if (value === undefined || value === null) throw DomainError.notFound(entity, id);
  return value;
}

/** A book's `authorId` is a reference: a missing author is a validation failure at that path. */
export async function assertAuthorExists(authors: AuthorRepository, authorId: string) {
  if (!isUuidShaped(authorId) || !(await authors.findById(authorId))) {
    throw DomainError.invalidField('authorId', 'no author has this id');
  }
}
