import { Controller, Get } from '@nestjs/common';
import { openApiDocument } from './openapi';

@Controller('api')
export class OpenApiController {
  @Get('openapi.json')
  openApi() {
    return openApiDocument();
  }
}
