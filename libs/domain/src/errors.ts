/**
 * The contract's error codes (CONTRACT.md, "Errors"). Every adapter maps these
 * to its protocol in one table typed `satisfies Record<ErrorCode, …>`.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'NOT_FOUND',
  'CONFLICT',
  'OUT_OF_STOCK',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem with one input field; `path` is written like `lines[1].quantity`. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** One order line that asked for more than is in stock. */
export interface StockShortage {
  bookId: string;
  requested: number;
  available: number;
}

export type ErrorDetails = readonly FieldIssue[] | readonly StockShortage[];

/** A failure the contract names. Anything else that escapes a use case is `INTERNAL`. */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
    /** For RATE_LIMITED and UNAVAILABLE: when a retry may succeed (REST's `Retry-After`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  static validation(
    issues: readonly FieldIssue[],
    message = 'The input is not valid',
  ): DomainError {
    return new DomainError('VALIDATION_FAILED', message, issues);
  }

  static invalidField(path: string, message: string): DomainError {
    return DomainError.validation([{ path, message }]);
  }

  static notFound(entity: 'author' | 'book' | 'order', id: string): DomainError {
    return new DomainError('NOT_FOUND', `No ${entity} has the id ${JSON.stringify(id)}`);
  }

  static conflict(message: string, details?: readonly FieldIssue[]): DomainError {
    return new DomainError('CONFLICT', message, details);
  }

  /** The database could not be reached within the deadline; nothing was changed by this request. */
  static unavailable(
    message = 'The database could not be reached; nothing was changed, try again shortly',
  ): DomainError {
    return new DomainError('UNAVAILABLE', message, undefined, 1);
  }

  static outOfStock(shortages: readonly StockShortage[]): DomainError {
    return new DomainError(
      'OUT_OF_STOCK',
      shortages.length === 1
        ? 'One line asks for more copies than are in stock'
        : `${shortages.length} lines ask for more copies than are in stock`,
      shortages,
    );
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
