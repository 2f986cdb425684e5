import { Controller, Get } from '@nestjs/common';
import { buildAsyncApiDocument } from './asyncapi';

@Controller()
export class AsyncApiController {
  private readonly document = buildAsyncApiDocument();

  @Get('asyncapi.json')
  asyncApi() {
    return this.document;
  }
}
