import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { type Database } from '@bookshop/persistence';
import { type FastifyReply } from 'fastify';
import { DATABASE } from './tokens';

/** `/health/live`: the process answers. `/health/ready`: and its database does too. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(DATABASE) private readonly database: Database,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      return await this.health.check([
        async () => {
          const indicator = this.indicators.check('database');
          try {
            await this.database.ping();
            return indicator.up({ engine: this.database.engine });
          } catch {
            return indicator.down({
              engine: this.database.engine,
              message: 'database unreachable',
            });
          }
        },
      ]);
    } catch (error) {
      // Terminus throws a 503 carrying the report; answer with the report itself.
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return (error as { getResponse?: () => unknown }).getResponse?.() ?? { status: 'error' };
    }
  }
}
