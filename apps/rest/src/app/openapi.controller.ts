import { Controller, Get } from '@nestjs/common';
import { openApiDocument } from './rest.document';

@Controller('api')
export class OpenApiController {
  @Get('openapi.json')
  openApi() {
    return openApiDocument();
  }
}
