import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule, type ServiceConfig } from '@bookshop/platform';
import { AsyncApiController } from './asyncapi.controller';
import { BookshopGateway } from './bookshop.gateway';
import { EventPush } from './event-push';
import { FrameAuth } from './frame-auth';
import { WEBSOCKET_SETTINGS, type WebsocketSettings } from './settings';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, settings: WebsocketSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [AsyncApiController],
      providers: [
        BookshopGateway,
        EventPush,
        FrameAuth,
        { provide: WEBSOCKET_SETTINGS, useValue: settings },
      ],
    };
  }
}
