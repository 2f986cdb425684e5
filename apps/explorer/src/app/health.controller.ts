import { Controller, Get } from '@nestjs/common';

/**
 * `/health/live` and `/health/ready`: the explorer holds no database, so it is
 * ready once it answers; the services it calls report their own readiness.
 */
@Controller('health')
export class ExplorerHealthController {
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  ready() {
    return { status: 'ok' };
  }
}
