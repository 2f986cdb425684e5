import { type OperationName } from '@bookshop/domain';
import { OPERATION_BY_OP } from './websocket.bindings';

/**
 * The frame protocol of CONTRACT.md ("WebSocket"), as the gateway's message
 * parser sees it: every text frame becomes one Nest message. Catalogue
 * operations go to `operation`; the connection ops to their own handlers;
 * anything else to `invalid`, which answers BAD_REQUEST and keeps the
 * connection open.
 */
export type FrameId = string | number;

export interface RequestFrame {
  id?: FrameId;
  op: string;
  params?: unknown;
  /** A W3C trace context for this frame's call (else the upgrade request's); not a string, ignored. */
  traceparent?: string;
  tracestate?: string;
}

/** A request frame whose op names a catalogue operation (websocket.bindings.ts). */
export interface OperationFrame extends RequestFrame {
  operation: OperationName;
  /** The write's idempotency key (CONTRACT.md, "Safe retries"). */
  idempotencyKey?: string;
}

export interface InvalidFrame {
  id?: FrameId;
  reason: string;
}

export const CONNECTION_OPS = ['auth', 'subscribe', 'unsubscribe'] as const;
export type ConnectionOp = (typeof CONNECTION_OPS)[number];

export type ParsedFrame =
  | { event: 'operation'; data: OperationFrame }
  | { event: ConnectionOp; data: RequestFrame }
  | { event: 'invalid'; data: InvalidFrame };

const isId = (id: unknown): id is FrameId =>
  typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));

export function parseFrame(raw: unknown): ParsedFrame {
  const text =
    typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return { event: 'invalid', data: { reason: 'the frame is not JSON' } };
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    return { event: 'invalid', data: { reason: 'a frame must be a JSON object' } };
  }
  const { id, op, params, traceparent, tracestate, idempotencyKey } = frame as Record<
    string,
    unknown
  >;
  const known = isId(id) ? { id } : {};
  // W3C Trace Context: a parent that cannot be read is dropped, never refused (§3.2.2.1 of the spec's processing model).
  const trace = {
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
    ...(typeof tracestate === 'string' ? { tracestate } : {}),
  };
  if (id !== undefined && !isId(id))
    return { event: 'invalid', data: { reason: 'id must be a string or a number' } };
  if (typeof op !== 'string')
    return { event: 'invalid', data: { ...known, reason: 'the frame has no op' } };
  const operation = OPERATION_BY_OP.get(op);
  if (operation) {
    if (idempotencyKey !== undefined && typeof idempotencyKey !== 'string') {
      return { event: 'invalid', data: { ...known, reason: 'idempotencyKey must be a string' } };
    }
    const keyed = idempotencyKey === undefined ? {} : { idempotencyKey };
    return { event: 'operation', data: { ...known, op, operation, params, ...keyed, ...trace } };
  }
  if ((CONNECTION_OPS as readonly string[]).includes(op)) {
    return { event: op as ConnectionOp, data: { ...known, op, params, ...trace } };
  }
  return { event: 'invalid', data: { ...known, reason: `unknown op ${JSON.stringify(op)}` } };
}

/** A reply frame: the request's id, then result or error. */
export function reply(id: FrameId | undefined, body: { result: unknown } | { error: unknown }) {
  return { ...(id === undefined ? {} : { id }), ...body };
}
