/** Injection tokens for the platform's interface-typed providers. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const DATABASE = Symbol('DATABASE');
export const EVENT_FEED = Symbol('EVENT_FEED');

/** Requests and WebSocket frames over this size are refused with PAYLOAD_TOO_LARGE (CONTRACT.md). */
export const MAX_BODY_BYTES = 1024 * 1024;
