import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard, PlatformModule, type ServiceConfig } from '@bookshop/platform';
import { AuthorsController } from './authors.controller';
import { BooksController } from './books.controller';
import { OpenApiController } from './openapi.controller';
import { OrdersController } from './orders.controller';
import { RestFilter } from './rest.filter';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [AuthorsController, BooksController, OrdersController, OpenApiController],
      providers: [
        { provide: APP_GUARD, useExisting: ApiKeyGuard },
        { provide: APP_FILTER, useClass: RestFilter },
      ],
    };
  }
}
