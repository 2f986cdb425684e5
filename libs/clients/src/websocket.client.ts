import type {
  BookshopEvent,
  ErrorDetails,
  OperationInput,
  OperationName,
  OperationResult,
} from '@bookshop/domain';
import WebSocket from 'ws';
import {
  BookshopError,
  type BookshopEvents,
  type ClientOptions,
  errorCode,
  type ClientSubscription,
  ProtocolError,
  type WriteOptions,
} from './bookshop-client';
import { CatalogueClient } from './catalogue.client';

/** A frame from the service: a reply to a request, or an event push. */
interface Frame {
  id?: string | number;
  result?: unknown;
  error?: { code?: unknown; message?: string; details?: ErrorDetails };
  event?: string;
  topic?: string;
  seq?: number;
  occurredAt?: string;
  data?: unknown;
}

/** RFC 6455 §7.4.1: the frame was over the service's 1 MiB limit. */
const MESSAGE_TOO_BIG = 1009;

/**
 * One WebSocket connection to `/ws`, JSON text frames: a request
 * `{id, op, params}` is answered by a frame with the same `id` and either
 * `result` or `error`; event pushes carry `event` instead. Replies may come
 * in any order, so each waits on its own id. The key goes in the upgrade's
 * `Authorization` header (a browser would send an `auth` op first instead).
 */
class Connection {
  private nextId = 0;
  private readonly waiting = new Map<string, (frame: Frame) => void>();
  private closedWith?: BookshopError | ProtocolError;

  /** The connection has closed: what was pending failed, nothing more can be sent. */
  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  private constructor(
    private readonly socket: WebSocket,
    private readonly onPush: (frame: Frame) => void,
  ) {
    socket.on('message', (data: Buffer) => this.receive(data.toString('utf8')));
    // An error is always followed by 'close', which settles what is pending.
    socket.on('error', () => undefined);
    socket.on('close', (code, reason) => {
      this.closedWith =
        code === MESSAGE_TOO_BIG
          ? new BookshopError('PAYLOAD_TOO_LARGE', 'The frame is over the service’s limit')
          : new ProtocolError(`The connection closed (${code} ${reason.toString()})`);
      for (const [, settle] of this.waiting) settle({});
      this.waiting.clear();
    });
  }

  static open(options: ClientOptions, onPush: (frame: Frame) => void): Promise<Connection> {
    const socket = new WebSocket(new URL('/ws', options.url.replace(/^http/, 'ws')), {
      headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
    });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new Connection(socket, onPush)));
      socket.once('error', reject);
    });
  }

  /** Sends `{id, op, params}` and resolves with the result; an error frame rejects. */
  async request(op: string, params: unknown, idempotencyKey?: string): Promise<unknown> {
    const closed = this.closedWith;
    if (closed) throw closed;
    const id = `c${++this.nextId}`;
    const reply = new Promise<Frame>((resolve) => this.waiting.set(id, resolve));
    this.socket.send(
      JSON.stringify({
        id,
        op,
        params,
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      }),
    );
    const frame = await reply;
    if (frame.id === undefined) throw this.closedWith ?? new ProtocolError('No reply');
    if (frame.error) {
      throw new BookshopError(
        errorCode(frame.error.code),
        String(frame.error.message),
        frame.error.details,
      );
    }
    return frame.result;
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close(1000);
    });
  }

  private receive(text: string): void {
    let frame: Frame;
    try {
      frame = JSON.parse(text) as Frame;
    } catch {
      return;
    }
    if (frame.event !== undefined) this.onPush(frame);
    else if (frame.id !== undefined) {
      this.waiting.get(String(frame.id))?.(frame);
      this.waiting.delete(String(frame.id));
    }
  }
}

/**
 * The WebSocket service's ops over one connection, opened on the first call.
 * Each subscription gets a connection of its own, so its events are exactly
 * the ones of its topics (a connection pushes each event once, whatever
 * topics it holds).
 */
export class WebSocketClient extends CatalogueClient implements BookshopEvents {
  readonly protocol = 'websocket';
  private connection?: Promise<Connection>;
  private readonly subscriptions = new Set<Connection>();

  constructor(private readonly options: ClientOptions) {
    super();
  }

  async call<N extends OperationName>(
    op: N,
    params: OperationInput<N>,
    options: WriteOptions = {},
  ): Promise<OperationResult<N>> {
    const connection = await this.connected();
    return (await connection.request(op, params, options.idempotencyKey)) as OperationResult<N>;
  }

  /**
   * The connection calls go over: the open one, or a new one when it closed
   * (a dropped connection fails the calls it had pending; the next call, a
   * retry say, goes over a new one).
   */
  private async connected(): Promise<Connection> {
    const pending = this.connection;
    const current = pending && (await pending.catch(() => undefined));
    if (current && !current.closed) return current;
    if (this.connection === pending) {
      this.connection = Connection.open(this.options, () => undefined);
    }
    return this.connection as Promise<Connection>;
  }

  /** `subscribe {topics, since}` on a connection of its own; resolves once the service confirmed it. */
  async subscribe(
    topics: readonly string[],
    onEvent: (event: BookshopEvent) => void,
    { since }: { since?: number; onError?: (error: unknown) => void } = {},
  ): Promise<ClientSubscription> {
    const connection = await Connection.open(this.options, (push) =>
      onEvent({
        seq: Number(push.seq),
        type: push.event,
        occurredAt: String(push.occurredAt),
        data: push.data,
      } as BookshopEvent),
    );
    this.subscriptions.add(connection);
    let result: { seq?: unknown };
    try {
      result = (await connection.request('subscribe', {
        topics,
        ...(since === undefined ? {} : { since }),
      })) as { seq?: unknown };
    } catch (error) {
      await this.end(connection);
      throw error;
    }
    return {
      seq: typeof result.seq === 'number' ? result.seq : undefined,
      close: () => this.end(connection),
    };
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await Promise.all([
      connection?.then((open) => open.close()).catch(() => undefined),
      ...[...this.subscriptions].map((subscription) => this.end(subscription)),
    ]);
  }

  private async end(connection: Connection): Promise<void> {
    this.subscriptions.delete(connection);
    await connection.close();
  }
}
