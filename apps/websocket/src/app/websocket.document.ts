import {
  catalogue,
  EVENT_TYPES,
  inputSchema,
  type JsonSchema,
  jsonSchemaOf,
  OPERATION_NAMES,
  operationErrors,
  type OperationName,
  resultSchemaName,
  resultSchemas,
  subscribeInput,
  unsubscribeInput,
} from '@bookshop/domain';
import { CONNECTION_OPS } from './frames';
import { WEBSOCKET_BINDINGS } from './websocket.bindings';
import { CLOSE, WS_ERRORS } from './websocket-errors';

const id = {
  description: 'Correlation id, echoed in the reply',
  oneOf: [{ type: 'string' }, { type: 'integer' }],
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/** W3C Trace Context per frame (docs/observability.md): a frame's call continues the caller's trace. */
const traceContext = {
  traceparent: {
    type: 'string',
    description:
      'W3C Trace Context `traceparent` for this call; absent, the upgrade request’s header is used. One that cannot be read is ignored, never refused.',
    examples: ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
  },
  tracestate: { type: 'string', description: 'W3C Trace Context `tracestate`, with `traceparent`' },
};

/** A write's idempotency key in its request frame (CONTRACT.md, "Safe retries"). */
const idempotencyKey = {
  type: 'string',
  pattern: '^[\\x21-\\x7E]{1,255}$',
  description:
    'Makes a retry of this write safe, on this or another connection: a repeat with the same key (and API key) and params gets the first reply’s result and changes nothing; the key with another op or params is CONFLICT. Kept at least 24 hours; a failed write records nothing.',
  examples: ['order-2026-12-02-0001'],
};

function request(op: string, params: JsonSchema, writes = false) {
  return {
    name: op,
    title: `${op} request`,
    payload: {
      type: 'object',
      required: ['op'],
      additionalProperties: false,
      properties: {
        id,
        op: { const: op },
        params,
        ...(writes ? { idempotencyKey } : {}),
        ...traceContext,
      },
    },
  };
}

function replyOf(op: string, result: JsonSchema) {
  return {
    name: `${op}.reply`,
    title: `${op} reply`,
    payload: { type: 'object', required: ['result'], properties: { id, result } },
  };
}

const CONNECTION_PARAMS: Record<
  (typeof CONNECTION_OPS)[number],
  { summary: string; params: JsonSchema; result: JsonSchema }
> = {
  auth: {
    summary:
      'Authenticate the connection; only as the first frame (browsers cannot set the Authorization header)',
    params: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } },
    result: { type: 'object', properties: { authenticated: { const: true } } },
  },
  subscribe: {
    summary:
      'Push events of these topics: those after `since` from the log first, then live ones, in seq order',
    params: jsonSchemaOf(subscribeInput, 'draft-7'),
    result: {
      type: 'object',
      properties: {
        topics: { type: 'array', items: { type: 'string' } },
        seq: { type: 'integer', description: 'The latest global seq' },
      },
    },
  },
  unsubscribe: {
    summary: 'Stop pushing events of these topics',
    params: jsonSchemaOf(unsubscribeInput, 'draft-7'),
    result: {
      type: 'object',
      properties: { topics: { type: 'array', items: { type: 'string' } } },
    },
  },
};

/** An operation's error replies, from the catalogue's list, as the operation's description. */
export function errorsOf(name: OperationName): string {
  const codes = operationErrors(name).map(({ code, when }) => {
    const mapping = WS_ERRORS[code];
    return `${'frame' in mapping ? mapping.frame : code} (${when})`;
  });
  return `Error replies, by error.code: ${codes.join('; ')}.`;
}

/**
 * The AsyncAPI 3 document of the frame protocol, generated from the
 * operation catalogue and the connection ops the gateway handles.
 */
export function buildAsyncApiDocument() {
  const schemas = resultSchemas('draft-7');

  const messages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const addOp = (
    op: string,
    summary: string,
    params: JsonSchema,
    result: JsonSchema,
    description?: string,
    writes = false,
  ) => {
    const key = op.replace(/\./g, '_');
    messages[key] = request(op, params, writes);
    messages[`${key}_reply`] = replyOf(op, result);
    operations[key] = {
      action: 'receive',
      summary,
      ...(description ? { description } : {}),
      channel: { $ref: '#/channels/bookshop' },
      messages: [{ $ref: `#/channels/bookshop/messages/${key}` }],
      reply: {
        channel: { $ref: '#/channels/bookshop' },
        messages: [{ $ref: `#/channels/bookshop/messages/${key}_reply` }],
      },
    };
  };

  for (const name of OPERATION_NAMES) {
    const op = catalogue[name];
    addOp(
      WEBSOCKET_BINDINGS[name].op,
      `${op.summary}${op.writes ? ' (needs an API key)' : ''}`,
      inputSchema(name, 'draft-7'),
      ref(resultSchemaName(name)),
      errorsOf(name),
      op.writes,
    );
  }
  for (const op of CONNECTION_OPS)
    addOp(
      op,
      CONNECTION_PARAMS[op].summary,
      CONNECTION_PARAMS[op].params,
      CONNECTION_PARAMS[op].result,
    );

  messages['error'] = {
    name: 'error',
    title: 'Error reply',
    summary: 'The reply to a failed frame; without an id when the frame had none or was not JSON',
    payload: {
      type: 'object',
      required: ['error'],
      properties: {
        id,
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: {
              type: 'string',
              enum: Object.values(WS_ERRORS).flatMap((m) => ('frame' in m ? [m.frame] : [])),
            },
            message: { type: 'string' },
            details: { type: 'array', items: { type: 'object' } },
          },
        },
      },
    },
  };
  messages['event'] = {
    name: 'event',
    title: 'Event push',
    payload: {
      type: 'object',
      required: ['event', 'topic', 'seq', 'occurredAt', 'data'],
      properties: {
        event: { type: 'string', enum: [...EVENT_TYPES] },
        topic: { type: 'string' },
        seq: { type: 'integer' },
        occurredAt: { type: 'string', format: 'date-time' },
        data: { type: 'object' },
      },
    },
  };
  operations['pushEvent'] = {
    action: 'send',
    summary: 'Events of the subscribed topics',
    channel: { $ref: '#/channels/bookshop' },
    messages: [{ $ref: '#/channels/bookshop/messages/event' }],
  };
  operations['replyWithError'] = {
    action: 'send',
    summary:
      'A frame that failed; a frame that is not JSON, has no op or names an unknown op gets BAD_REQUEST',
    channel: { $ref: '#/channels/bookshop' },
    messages: [{ $ref: '#/channels/bookshop/messages/error' }],
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Bookshop WebSocket API',
      version: '1.0.0',
      description: [
        'JSON text frames over RFC 6455 at /ws. Writes need `Authorization: Bearer <key>` on the upgrade or an `auth` first frame.',
        `Closes: ${CLOSE.GOING_AWAY} server shutting down (every request frame read before it is answered first; a request without a reply did not run and may be sent again on a new connection); ${CLOSE.POLICY_VIOLATION} slow consumer (over WS_MAX_BUFFERED_BYTES, default 4 MiB, of replies and pushes unsent);`,
        `${CLOSE.MESSAGE_TOO_BIG} a frame over 1 MiB; ${CLOSE.TRY_AGAIN_LATER} the instance is at its connection cap (WS_MAX_CONNECTIONS, default 10 000).`,
        'Limits: at most WS_MAX_IN_FLIGHT (default 32) frames of a connection run at once, past which the server stops reading it until one ends;',
        'a connection holds at most WS_MAX_TOPICS (default 100) topics (more: RATE_LIMITED). Frames that follow `auth` are handled after it, in order.',
        'The server pings every 30 s and drops peers that do not answer.',
      ].join(' '),
    },
    servers: { local: { host: 'localhost:3005', protocol: 'ws', pathname: '/ws' } },
    defaultContentType: 'application/json',
    channels: { bookshop: { address: '/ws', messages } },
    operations,
    components: { schemas },
  };
}
