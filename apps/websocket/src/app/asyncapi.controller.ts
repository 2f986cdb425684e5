import { Controller, Get } from '@nestjs/common';
import { buildAsyncApiDocument } from './websocket.document';

@Controller()
export class AsyncApiController {
  private readonly document = buildAsyncApiDocument();

  @Get('asyncapi.json')
  asyncApi() {
    return this.document;
  }
}
