import { Inject } from '@nestjs/common';
import { Args, Int, Resolver, Subscription } from '@nestjs/graphql';
import { type EventFeed, parseInput, subscribeInput } from '@bookshop/domain';
import { EVENT_FEED, Telemetry } from '@bookshop/platform';
import { EventModel } from './models';

@Resolver(() => EventModel)
export class EventsResolver {
  constructor(
    @Inject(EVENT_FEED) private readonly feed: EventFeed,
    private readonly telemetry: Telemetry,
  ) {}

  /**
   * The shared live feed as a graphql-ws subscription: events after `since`
   * from the log, then live ones, in `seq` order. Ending the subscription
   * closes the feed's cursor.
   */
  @Subscription(() => EventModel, { name: 'events', resolve: (event: EventModel) => event })
  async events(
    @Args('topics', { type: () => [String] }) topics: string[],
    @Args('since', { type: () => Int, nullable: true }) since: number | null,
  ) {
    return this.telemetry.observeSubscription(
      await this.feed.subscribe(parseInput(subscribeInput, { topics, since })),
    );
  }
}
