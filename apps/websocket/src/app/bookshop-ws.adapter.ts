import { type INestApplicationContext, Logger } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { type MessageMappingProperties } from '@nestjs/websockets';
import { lastValueFrom, type Observable } from 'rxjs';
import { type RawData, type WebSocket } from 'ws';
import { context as otelContext } from '@opentelemetry/api';
import { contextFrom, Telemetry } from '@bookshop/platform';
import { connectionOf, sendFrame } from './connection';
import { parseFrame } from './frames';
import { CLOSE } from './websocket-errors';

export interface FrameLimits {
  /** Frames one connection may have in flight; past it the socket is not read until one ends. */
  maxInFlight: number;
}

/**
 * Nest's ws adapter, with the frame order and bounds the contract asks for:
 *
 * - frames run concurrently, except that every frame after an `auth` waits
 *   for it, so `auth` followed at once by a write is handled in that order;
 * - past `maxInFlight` frames in flight the socket is paused (TCP
 *   back-pressure reaches the client) until one ends; frames already read
 *   still run, and past twice the limit the connection is closed with 1008;
 * - every reply goes out through `sendFrame`, which counts it toward the
 *   slow-consumer limit like an event push.
 */
export class BookshopWsAdapter extends WsAdapter {
  private readonly frameLogger = new Logger('WebSocket');

  private readonly telemetry: Telemetry;

  constructor(
    app: INestApplicationContext,
    private readonly limits: FrameLimits,
  ) {
    super(app, { messageParser: parseFrame });
    this.telemetry = app.get(Telemetry);
  }

  override bindMessageHandlers(
    client: WebSocket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    const byMessage = new Map(handlers.map((handler) => [handler.message as string, handler]));
    const connection = connectionOf(client);
    let gate: Promise<void> = Promise.resolve();
    let inFlight = 0;

    client.on('message', (data: RawData) => {
      // A frame read after the drain began is not run: the 1001 close says so.
      if (connection.draining) return;
      const index = connection.frames++;
      this.telemetry.countBytes('request', frameBytes(data));
      const frame = parseFrame(data);
      if (index === 0 && frame.event === 'auth') connection.firstFrameIsAuth = true;
      const handler = byMessage.get(frame.event);
      if (!handler) return;

      inFlight += 1;
      if (inFlight >= this.limits.maxInFlight) client.pause();
      // Frames already read arrive even while paused; twice the limit unanswered is a
      // client that does not wait for its replies: it is let go (1008, policy violation).
      if (inFlight > 2 * this.limits.maxInFlight) {
        inFlight -= 1;
        if (client.readyState === client.OPEN) {
          client.close(CLOSE.POLICY_VIOLATION, 'too many frames in flight');
        }
        return;
      }
      const run = async () => {
        const response = await lastValueFrom(transform(handler.callback(frame.data, frame.event)), {
          defaultValue: undefined,
        });
        if (response !== undefined && response !== null) sendFrame(client, response);
      };
      // The frame's own trace context, else the upgrade request's, is the call's parent span.
      const trace: { traceparent?: string; tracestate?: string } =
        frame.event === 'invalid' ? {} : frame.data;
      const parent = contextFrom({
        traceparent: trace.traceparent ?? connection.traceparent,
        tracestate: trace.traceparent ? trace.tracestate : undefined,
      });
      const done = gate
        .then(() => otelContext.with(parent, run))
        .catch((error: unknown) => this.frameLogger.error({ err: error }, 'A frame failed'))
        .finally(() => {
          inFlight -= 1;
          connection.running.delete(done);
          if (inFlight < this.limits.maxInFlight && client.isPaused && !connection.draining)
            client.resume();
        });
      connection.running.add(done);
      if (frame.event === 'auth') gate = done;
    });
  }
}

const frameBytes = (data: RawData): number =>
  Array.isArray(data)
    ? data.reduce((sum, chunk) => sum + chunk.length, 0)
    : data instanceof ArrayBuffer
      ? data.byteLength
      : data.length;
