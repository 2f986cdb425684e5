import { DomainError, isDomainError } from '@bookshop/domain';

/**
 * What a client may learn of an error (ARCHITECTURE.md rule 5): a DomainError
 * as it is; anything else as a bland INTERNAL, with `unexpected` set so that
 * the adapter logs the original whole.
 */
export function toClientError(error: unknown): { error: DomainError; unexpected: boolean } {
  if (isDomainError(error)) return { error, unexpected: false };
  return {
    error: new DomainError(
      'INTERNAL',
      'An unexpected error occurred; the request id identifies it in the logs',
    ),
    unexpected: true,
  };
}
