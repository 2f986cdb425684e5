import {
  type BeforeApplicationShutdown,
  Inject,
  Logger,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { type IncomingMessage } from 'node:http';
import {
  Bookshop,
  DomainError,
  type EventFeed,
  type EventSubscription,
  matchesTopics,
  type OperationName,
  parseSince,
  parseTopics,
  topicsOf,
} from '@bookshop/domain';
import { ApiKeys, EVENT_FEED, MAX_BODY_BYTES, RateLimits } from '@bookshop/platform';
import { WebSocket, type WebSocketServer } from 'ws';
import { type Connection, connectionOf, sendFrame } from './connection';
import { type InvalidFrame, type RequestFrame, reply } from './frames';
import { WEBSOCKET_SETTINGS, type WebsocketSettings } from './settings';
import { WsApiKeyGuard } from './ws-api-key.guard';
import { CLOSE } from './websocket-errors';
import { WebsocketFilter } from './websocket.filter';

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/**
 * The Bookshop over plain RFC 6455 WebSocket at /ws. Request frames carry an
 * `op` and an `id`; replies carry the same `id`. `subscribe` streams events
 * from the shared feed, which reads the event log, so every instance on one
 * database pushes every event, whichever process made the change.
 */
@WebSocketGateway({ path: '/ws', maxPayload: MAX_BODY_BYTES })
@UseGuards(WsApiKeyGuard)
@UseFilters(WebsocketFilter)
export class BookshopGateway
  implements
    OnGatewayInit<WebSocketServer>,
    OnGatewayConnection<WebSocket>,
    OnGatewayDisconnect<WebSocket>,
    BeforeApplicationShutdown
{
  private readonly logger = new Logger('WebSocket');
  private server?: WebSocketServer;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly bookshop: Bookshop,
    private readonly keys: ApiKeys,
    private readonly limits: RateLimits,
    @Inject(EVENT_FEED) private readonly feed: EventFeed,
    @Inject(WEBSOCKET_SETTINGS) private readonly settings: WebsocketSettings,
  ) {}

  afterInit(server: WebSocketServer): void {
    this.server = server;
    // Ping every client; one that did not answer the previous ping is gone.
    this.heartbeat = setInterval(() => {
      for (const client of server.clients) {
        const connection = connectionOf(client);
        if (!connection.alive) {
          this.logger.log({ event: 'dead-peer' }, 'Dropping a client that missed a ping');
          client.terminate();
          continue;
        }
        connection.alive = false;
        client.ping();
      }
    }, this.settings.heartbeatMs);
    this.heartbeat.unref();
  }

  handleConnection(client: WebSocket, request: IncomingMessage): void {
    const connection = connectionOf(client);
    connection.maxBufferedBytes = this.settings.maxBufferedBytes;
    connection.address = request.socket.remoteAddress;
    if ((this.server?.clients.size ?? 0) > this.settings.maxConnections) {
      this.logger.warn({ event: 'connection-cap' }, 'Refusing a connection over the cap');
      client.close(CLOSE.TRY_AGAIN_LATER, 'too many connections; try again later');
      return;
    }
    const header = request.headers['authorization'];
    if (header !== undefined) connection.authorization = header;
    client.on('pong', () => {
      connection.alive = true;
    });
  }

  handleDisconnect(client: WebSocket): void {
    connectionOf(client).subscription?.close();
  }

  /** Closes every client with 1001 before the server stops. */
  beforeApplicationShutdown(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const client of this.server?.clients ?? []) {
      connectionOf(client).subscription?.close();
      client.close(CLOSE.GOING_AWAY, 'server shutting down');
    }
  }

  @SubscribeMessage('operation')
  async operation(@MessageBody() frame: RequestFrame) {
    return reply(frame.id, {
      result: await this.bookshop.execute(frame.op as OperationName, frame.params),
    });
  }

  @SubscribeMessage('invalid')
  invalid(@MessageBody() frame: InvalidFrame) {
    // Answered by WebsocketFilter, through the error table, with the frame's id.
    throw new DomainError('BAD_REQUEST', `Bad frame: ${frame.reason}`);
  }

  /** `{"op": "auth", "params": {"token": "<key>"}}` as the first frame, for clients that cannot set headers. */
  @SubscribeMessage('auth')
  async auth(@ConnectedSocket() client: WebSocket, @MessageBody() frame: RequestFrame) {
    const connection = connectionOf(client);
    if (!connection.firstFrameIsAuth || connection.authTried) {
      throw new DomainError('BAD_REQUEST', 'auth must be the first frame of a connection');
    }
    connection.authTried = true;
    const address = connection.address ?? 'unknown';
    await this.limits.assertMayAuthenticate(address);
    const token = record(frame.params)['token'];
    if (typeof token !== 'string' || !this.keys.verify(token)) {
      await this.limits.authenticationFailed(address);
      throw new DomainError('UNAUTHENTICATED', 'The API key is not valid');
    }
    connection.authorization = `Bearer ${token}`;
    return reply(frame.id, { result: { authenticated: true } });
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() client: WebSocket, @MessageBody() frame: RequestFrame) {
    const params = record(frame.params);
    const topics = parseTopics(params['topics'], 'topics');
    const since = parseSince(params['since'], 'since');
    const connection = connectionOf(client);
    const latest = await this.feed.latestSeq();
    // Checked and taken with no await between: concurrent subscribes cannot pass the cap together.
    const added = topics.filter((topic) => !connection.topics.has(topic)).length;
    if (connection.topics.size + added > this.settings.maxTopics) {
      throw new DomainError(
        'RATE_LIMITED',
        `A connection holds at most ${this.settings.maxTopics} topics; unsubscribe from some first`,
      );
    }
    const previous = connection.subscription;
    const start = since ?? (previous ? connection.lastSeq : latest);
    if (previous)
      connection.skip = { upTo: connection.lastSeq, topics: new Set(connection.topics) };
    topics.forEach((topic) => connection.topics.add(topic));
    const subscription = await this.feed.subscribe({
      topics: [...connection.topics],
      since: start,
    });
    connection.subscription = subscription;
    previous?.close();
    // The reply goes out before the first push, so a client sees the result, then the events.
    sendFrame(client, reply(frame.id, { result: { topics: [...connection.topics], seq: latest } }));
    void this.push(client, connection, subscription);
    return undefined;
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() client: WebSocket, @MessageBody() frame: RequestFrame) {
    const topics = parseTopics(record(frame.params)['topics'], 'topics');
    const connection = connectionOf(client);
    topics.forEach((topic) => connection.topics.delete(topic));
    if (connection.topics.size === 0) {
      connection.subscription?.close();
      connection.subscription = undefined;
    }
    return reply(frame.id, { result: { topics: [...connection.topics] } });
  }

  /**
   * Pushes one subscription's events in seq order. The feed is read only as
   * fast as this loop sends, so memory stays bounded; a client that stops
   * reading is closed once its unsent bytes pass the limit.
   */
  private async push(
    client: WebSocket,
    connection: Connection,
    subscription: EventSubscription,
  ): Promise<void> {
    try {
      for await (const event of subscription) {
        if (connection.subscription !== subscription || client.readyState !== WebSocket.OPEN) break;
        const skip = connection.skip;
        if (skip && event.seq <= skip.upTo && matchesTopics(event, skip.topics)) continue;
        const topic = topicsOf(event).find((candidate) => connection.topics.has(candidate));
        if (!topic) continue;
        const sent = sendFrame(client, {
          event: event.type,
          topic,
          seq: event.seq,
          occurredAt: event.occurredAt,
          data: event.data,
        });
        if (!sent) {
          if (client.readyState !== WebSocket.OPEN) {
            this.logger.warn(
              { event: 'slow-consumer', buffered: client.bufferedAmount },
              'Closed a slow consumer',
            );
          }
          break;
        }
        connection.lastSeq = Math.max(connection.lastSeq, event.seq);
      }
    } catch (error) {
      this.logger.error({ err: error }, 'Pushing events failed');
      client.close(1011, 'internal error');
    } finally {
      subscription.close();
    }
  }
}
