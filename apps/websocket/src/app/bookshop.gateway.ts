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
  parseInput,
  subscribeInput,
  unsubscribeInput,
} from '@bookshop/domain';
import {
  clientAddressOf,
  idempotencyOf,
  MAX_BODY_BYTES,
  SERVICE_CONFIG,
  type ServiceConfig,
  Telemetry,
} from '@bookshop/platform';
import { type WebSocket, type WebSocketServer } from 'ws';
import { connectionOf, sendFrame } from './connection';
import { EventPush } from './event-push';
import { FrameAuth } from './frame-auth';
import { type InvalidFrame, type OperationFrame, type RequestFrame, reply } from './frames';
import { startHeartbeat } from './heartbeat';
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
 * `op` and an `id`; replies carry the same `id`. Each handler reads a frame,
 * calls one thing and shapes the reply: the catalogue (`Bookshop`), the
 * first-frame `auth` (`FrameAuth`) or the connection's event feed
 * (`EventPush`); the heartbeat drops peers that stop answering pings.
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
  private stopHeartbeat?: () => void;

  constructor(
    private readonly bookshop: Bookshop,
    private readonly auth: FrameAuth,
    private readonly events: EventPush,
    @Inject(WEBSOCKET_SETTINGS) private readonly settings: WebsocketSettings,
    private readonly telemetry: Telemetry,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.addressOf = clientAddressOf(config.trustProxy);
  }

  /** The caller's address: the peer's, or behind a trusted proxy the one it forwards (TRUST_PROXY). */
  private readonly addressOf: (request: IncomingMessage) => string | undefined;

  afterInit(server: WebSocketServer): void {
    this.server = server;
    this.stopHeartbeat = startHeartbeat(server, this.settings.heartbeatMs, this.logger);
  }

  handleConnection(client: WebSocket, request: IncomingMessage): void {
    const connection = connectionOf(client);
    this.telemetry.connectionsChanged(1);
    connection.onSent = (bytes) => this.telemetry.countBytes('response', bytes);
    connection.maxBufferedBytes = this.settings.maxBufferedBytes;
    connection.address = this.addressOf(request);
    const traceparent = request.headers['traceparent'];
    if (typeof traceparent === 'string') connection.traceparent = traceparent;
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
    this.telemetry.connectionsChanged(-1);
    connectionOf(client).subscription?.close();
  }

  /**
   * The drain, before the server stops (it accepts no new connection since
   * the signal: a gateway sends those to another replica): each connection
   * stops reading and ends its subscription, every request frame already read
   * is answered, and then the connection closes with 1001. So a client that sees 1001 knows its
   * unanswered requests never ran and may send them again elsewhere.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopHeartbeat?.();
    await Promise.all(
      [...(this.server?.clients ?? [])].map(async (client) => {
        const connection = connectionOf(client);
        connection.draining = true;
        client.pause();
        connection.subscription?.close();
        await Promise.allSettled([...connection.running]);
        client.close(CLOSE.GOING_AWAY, 'server shutting down');
      }),
    );
  }

  @SubscribeMessage('operation')
  async operation(@ConnectedSocket() client: WebSocket, @MessageBody() frame: OperationFrame) {
    const idempotency = idempotencyOf(
      frame.idempotencyKey === undefined ? undefined : { key: frame.idempotencyKey },
      connectionOf(client),
    );
    return reply(frame.id, {
      result: await this.bookshop.execute(frame.operation, frame.params, idempotency),
    });
  }

  @SubscribeMessage('invalid')
  invalid(@MessageBody() frame: InvalidFrame) {
    // Answered by WebsocketFilter, through the error table, with the frame's id.
    throw new DomainError('BAD_REQUEST', `Bad frame: ${frame.reason}`);
  }

  @SubscribeMessage('auth')
  async authenticate(@ConnectedSocket() client: WebSocket, @MessageBody() frame: RequestFrame) {
    await this.auth.authenticate(connectionOf(client), record(frame.params));
    return reply(frame.id, { result: { authenticated: true } });
  }

  @SubscribeMessage('subscribe')
  async subscribe(@ConnectedSocket() client: WebSocket, @MessageBody() frame: RequestFrame) {
    const input = parseInput(subscribeInput, record(frame.params));
    await this.events.subscribe(client, connectionOf(client), input, (result) =>
      sendFrame(client, reply(frame.id, { result })),
    );
    return undefined;
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(@ConnectedSocket() client: WebSocket, @MessageBody() frame: RequestFrame) {
    const { topics } = parseInput(unsubscribeInput, record(frame.params));
    return reply(frame.id, {
      result: { topics: this.events.unsubscribe(connectionOf(client), topics) },
    });
  }
}
