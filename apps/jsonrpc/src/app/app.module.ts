import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { PlatformModule, type ServiceConfig } from '@bookshop/platform';
import { BookshopJsonrpcService } from './bookshop.jsonrpc-service';
import { JsonRpcEndpoint } from './json-rpc.endpoint';
import { RpcController } from './rpc.controller';
import { JsonrpcFilter } from './jsonrpc.filter';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [RpcController],
      providers: [
        BookshopJsonrpcService,
        JsonRpcEndpoint,
        { provide: APP_FILTER, useClass: JsonrpcFilter },
      ],
    };
  }
}
