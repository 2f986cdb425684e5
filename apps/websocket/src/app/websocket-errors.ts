import { type ErrorCode } from '@bookshop/domain';
import { type TransportErrorRenderer } from '@bookshop/platform';

/**
 * The contract's codes on WebSocket (CONTRACT.md, "Errors"): error frames
 * carry the code itself; PAYLOAD_TOO_LARGE is a close (1009), not a frame.
 */
export const WS_ERRORS = {
  BAD_REQUEST: { frame: 'BAD_REQUEST' },
  VALIDATION_FAILED: { frame: 'VALIDATION_FAILED' },
  UNAUTHENTICATED: { frame: 'UNAUTHENTICATED' },
  NOT_FOUND: { frame: 'NOT_FOUND' },
  CONFLICT: { frame: 'CONFLICT' },
  OUT_OF_STOCK: { frame: 'OUT_OF_STOCK' },
  PAYLOAD_TOO_LARGE: { close: 1009 },
  RATE_LIMITED: { frame: 'RATE_LIMITED' },
  UNAVAILABLE: { frame: 'UNAVAILABLE' },
  INTERNAL: { frame: 'INTERNAL' },
} as const satisfies Record<ErrorCode, { frame: string } | { close: number }>;

/** Close codes the service uses (RFC 6455 §7.4.1). */
export const CLOSE = {
  /** The server is shutting down. */
  GOING_AWAY: 1001,
  /** The client does not read fast enough: its unsent bytes passed the limit. */
  POLICY_VIOLATION: 1008,
  /** A frame over 1 MiB (ws closes with this itself, from maxPayload). */
  MESSAGE_TOO_BIG: 1009,
  /** Pushing events failed in a way the service did not foresee. */
  INTERNAL_ERROR: 1011,
  /** The instance is at its connection cap (IANA registry: "Try Again Later"). */
  TRY_AGAIN_LATER: 1013,
} as const;

/**
 * A failure of a plain HTTP request (a malformed URL, headers over 16 KiB,
 * before the upgrade) as the error member of a frame, under the transport's status.
 */
export const renderWsTransportError: TransportErrorRenderer = (failure) => {
  const mapping = WS_ERRORS[failure.error.code];
  return {
    status: failure.status,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({
      error: {
        code: 'frame' in mapping ? mapping.frame : failure.error.code,
        message: failure.error.message,
      },
    }),
  };
};
