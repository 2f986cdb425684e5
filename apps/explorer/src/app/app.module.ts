import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { loggerOptions, type ServiceConfig } from '@bookshop/platform';
import { ExplorerController } from './explorer.controller';
import { ExplorerFilter } from './explorer.filter';
import { ExplorerHealthController } from './health.controller';
import { EXPLORER_SETTINGS, type ExplorerSettings } from './settings';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, settings: ExplorerSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [LoggerModule.forRoot(loggerOptions(config))],
      // Health first: `GET :file` would otherwise take `/health`.
      controllers: [ExplorerHealthController, ExplorerController],
      providers: [
        { provide: EXPLORER_SETTINGS, useValue: settings },
        { provide: APP_FILTER, useClass: ExplorerFilter },
      ],
    };
  }
}
