import { decodeCursor, encodeCursor } from '../cursor';
import { LIMITS, type Page } from '../model';
import { type Clock, type IdSource, type PageRequest, type Store } from '../ports';

/** What every use case needs from the outside world. */
export interface UseCaseDependencies {
  store: Store;
  clock: Clock;
  ids: IdSource;
}

/** One operation of the catalogue: validated input in, result out. */
export interface UseCase<I, O> {
  execute(input: I): Promise<O>;
}

/** The repository request for a page: one row more than asked, to know if another page follows. */
export function pageRequest(input: { limit?: number; cursor?: string }): PageRequest {
  return {
    limit: (input.limit ?? LIMITS.defaultPageSize) + 1,
    after: input.cursor === undefined ? undefined : decodeCursor(input.cursor),
  };
}

export function toPage<T extends { createdAt: string; id: string }>(
  rows: T[],
  request: PageRequest,
): Page<T> {
  const size = request.limit - 1;
  const items = rows.slice(0, size);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > size && last ? encodeCursor(last) : null,
  };
}
