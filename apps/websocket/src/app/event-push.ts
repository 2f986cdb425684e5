import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DomainError,
  type EventFeed,
  type EventSubscription,
  matchesTopics,
  topicsOf,
} from '@bookshop/domain';
import { EVENT_FEED, Telemetry } from '@bookshop/platform';
import { WebSocket } from 'ws';
import { type Connection, sendFrame } from './connection';
import { WEBSOCKET_SETTINGS, type WebsocketSettings } from './settings';
import { CLOSE } from './websocket-errors';

/**
 * A connection's topics and the one feed subscription that serves them. The
 * feed reads the event log, so every instance on one database pushes every
 * event, whichever process made the change.
 */
@Injectable()
export class EventPush {
  private readonly logger = new Logger('WebSocket');

  constructor(
    @Inject(EVENT_FEED) private readonly feed: EventFeed,
    @Inject(WEBSOCKET_SETTINGS) private readonly settings: WebsocketSettings,
    private readonly telemetry: Telemetry,
  ) {}

  /**
   * Adds topics and (re)starts the feed subscription from `since`, or from
   * where the connection is. `reply` is sent before the first push, so a
   * client sees the result, then the events.
   */
  async subscribe(
    client: WebSocket,
    connection: Connection,
    input: { topics: string[]; since?: number },
    reply: (result: { topics: string[]; seq: number }) => void,
  ): Promise<void> {
    const latest = await this.feed.latestSeq();
    // Checked and taken with no await between: concurrent subscribes cannot pass the cap together.
    const added = input.topics.filter((topic) => !connection.topics.has(topic)).length;
    if (connection.topics.size + added > this.settings.maxTopics) {
      throw new DomainError(
        'RATE_LIMITED',
        `A connection holds at most ${this.settings.maxTopics} topics; unsubscribe from some first`,
      );
    }
    const previous = connection.subscription;
    const start = input.since ?? (previous ? connection.lastSeq : latest);
    if (previous)
      connection.skip = { upTo: connection.lastSeq, topics: new Set(connection.topics) };
    input.topics.forEach((topic) => connection.topics.add(topic));
    const subscription = this.telemetry.observeSubscription(
      await this.feed.subscribe({ topics: [...connection.topics], since: start }),
    );
    connection.subscription = subscription;
    previous?.close();
    reply({ topics: [...connection.topics], seq: latest });
    void this.push(client, connection, subscription);
  }

  /** Drops topics; with none left, the feed subscription ends. Returns the topics still held. */
  unsubscribe(connection: Connection, topics: string[]): string[] {
    topics.forEach((topic) => connection.topics.delete(topic));
    if (connection.topics.size === 0) {
      connection.subscription?.close();
      connection.subscription = undefined;
    }
    return [...connection.topics];
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
      client.close(CLOSE.INTERNAL_ERROR, 'internal error');
    } finally {
      subscription.close();
    }
  }
}
