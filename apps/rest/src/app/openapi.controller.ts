import { Controller, Get } from '@nestjs/common';
import { buildOpenApiDocument } from './openapi';

@Controller('api')
export class OpenApiController {
  private readonly document = buildOpenApiDocument();

  @Get('openapi.json')
  openApi() {
    return this.document;
  }
}
