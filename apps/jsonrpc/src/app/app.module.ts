import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { PlatformModule, type ServiceConfig } from '@bookshop/platform';
import { CatalogueMethods } from './catalogue-methods';
import { JsonRpcEndpoint } from './json-rpc.endpoint';
import { RpcCallLogger } from './rpc-call.logger';
import { RpcHttpFilter } from './rpc-http.filter';
import { RpcController } from './rpc.controller';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [RpcController],
      providers: [
        CatalogueMethods,
        RpcCallLogger,
        JsonRpcEndpoint,
        { provide: APP_FILTER, useClass: RpcHttpFilter },
      ],
    };
  }
}
