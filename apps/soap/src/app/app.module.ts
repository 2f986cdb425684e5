import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { PlatformModule, type ServiceConfig } from '@bookshop/platform';
import { BookshopSoapService } from './bookshop.soap-service';
import { SoapApiKeyGuard } from './soap-api-key.guard';
import { SoapController } from './soap.controller';
import { SoapEndpoint } from './soap.endpoint';
import { SOAP_SETTINGS, type SoapSettings } from './settings';
import { SoapFilter } from './soap.filter';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig, settings: SoapSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(config)],
      controllers: [SoapController],
      providers: [
        { provide: SOAP_SETTINGS, useValue: settings },
        BookshopSoapService,
        SoapApiKeyGuard,
        SoapEndpoint,
        { provide: APP_FILTER, useClass: SoapFilter },
      ],
    };
  }
}
